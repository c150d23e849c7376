//! `rampkit validate`: every problem of every customer, each with its field.

use rampkit::ValidationContext;

use crate::cli::ValidateArgs;
use crate::exit::{Code, Failure};
use crate::input::{self, Problem};
use crate::out::outln;

pub fn run(args: ValidateArgs) -> Result<Code, Failure> {
    let mut context = ValidationContext::current();
    if !args.providers.is_empty() {
        context = context.for_providers(args.providers.iter().copied());
    }
    let mut code = Code::Ok;
    for file in &args.files {
        for entry in input::entries_of_file(file, Some(&context))? {
            let problems: Vec<String> = match entry.parsed {
                Ok(_) => Vec::new(),
                Err(Problem::Invalid(errors)) => errors.iter().map(ToString::to_string).collect(),
                Err(other) => vec![other.to_string()],
            };
            match problems.as_slice() {
                [] => outln!("{}: valid", entry.label),
                [one] => {
                    outln!("{}: invalid: {one}", entry.label);
                    code = Code::No;
                }
                all => {
                    outln!("{}: invalid, {} problems:", entry.label, all.len());
                    for problem in all {
                        outln!("  - {problem}");
                    }
                    code = Code::No;
                }
            }
        }
    }
    Ok(code)
}
