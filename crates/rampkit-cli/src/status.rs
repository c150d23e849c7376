//! placeholder
use crate::cli::StatusArgs;
use crate::exit::{Code, Failure};
pub async fn run(_args: StatusArgs) -> Result<Code, Failure> {
    Err(Failure::internal("todo"))
}
