//! `opcorp conformance`: core's fixed read-only scenario against the configured environment,
//! its redacted report, and the comparison of two reports.

use std::path::PathBuf;

use clap::Args;
use opcorp::conformance;

use crate::commands::Context;
use crate::exit::CliError;
use crate::output::Format;

/// `opcorp conformance [--out FILE] [--compare A.json B.json] [--writes]`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// Write the report (JSON) to FILE; the readable table goes to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Compare two reports instead of running: prints what differs and `N/M operations
    /// agree`; exits non-zero unless all agree.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["out", "writes"])]
    pub compare: Option<Vec<PathBuf>>,
    /// Also send one minimal payment, instant payment and refund (0.01 EUR). Refused
    /// against production.
    #[arg(long)]
    pub writes: bool,
}

/// Runs `conformance`.
pub async fn run(args: &ConformanceArgs, ctx: &Context) -> Result<(), CliError> {
    if let Some(files) = &args.compare {
        return compare(files);
    }
    let client = ctx.settings()?.client()?;
    let report = conformance::run(&client, args.writes).await?;
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| CliError::invalid(format!("the report cannot be written: {e}")))?;
    if let Some(path) = &args.out {
        std::fs::write(path, format!("{json}\n"))
            .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))?;
    }
    if ctx.format == Format::Json && args.out.is_none() {
        println!("{json}");
    } else {
        print!("{}", report.table());
    }
    Ok(())
}

fn compare(files: &[PathBuf]) -> Result<(), CliError> {
    let read = |path: &PathBuf| -> Result<conformance::Report, CliError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
        Ok(conformance::parse_report(&text)?)
    };
    let (a, b) = match files {
        [a, b] => (read(a)?, read(b)?),
        _ => return Err(CliError::invalid("--compare takes two report files")),
    };
    let comparison = conformance::compare(&a, &b);
    println!("{comparison}");
    if comparison.all_agree() {
        Ok(())
    } else {
        Err(CliError::invalid(format!(
            "{}/{} operations agree",
            comparison.agree, comparison.total
        )))
    }
}
