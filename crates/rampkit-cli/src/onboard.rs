//! placeholder
use crate::cli::OnboardArgs;
use crate::exit::{Code, Failure};
pub async fn run(_args: OnboardArgs) -> Result<Code, Failure> {
    Err(Failure::internal("todo"))
}
