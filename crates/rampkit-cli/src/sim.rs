//! placeholder
use crate::cli::SimArgs;
use crate::exit::{Code, Failure};
pub async fn run(_args: SimArgs) -> Result<Code, Failure> {
    Err(Failure::internal("todo"))
}
