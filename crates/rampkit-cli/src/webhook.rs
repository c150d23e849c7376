//! placeholder
use crate::cli::WebhookCommand;
use crate::exit::{Code, Failure};
pub fn run(_args: WebhookCommand) -> Result<Code, Failure> {
    Err(Failure::internal("todo"))
}
