//! The `dyad` command line: a thin shell over the library crates.
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use dyad::data;
use dyad::{Pipeline, PipelineOptions, Workers};
use dyad_coder::{Coder, CoderOptions};
use dyad_output::{DedupMode, DedupOptions, DocMeta, Format};

/// mimalloc instead of the system allocator: the pipeline makes many small,
/// short-lived allocations (tree phrases, token strings, coder scratch);
/// −4 % instructions on VOA raw → events (see crates/dyad/NOTES.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Political event coder: who did what to whom, when and where (CAMEO/PLOVER)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into events (raw text, JSONL, HTML, PETRARCH XML, CoNLL-U).
    Code(CodeArgs),
    /// Code a PETRARCH XML file and compare with its gold <EventCoding> lines.
    Validate(ValidateArgs),
    /// Dictionary tools.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Train the tagger and parser on UD CoNLL-U treebanks.
    Train(TrainArgs),
    /// Tokenise, tag and parse; write CoNLL-U.
    Parse(ParseArgs),
    /// Score the tagger and parser on a gold CoNLL-U file (gold tokens).
    EvalParser(EvalParserArgs),
    /// Evaluations against gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Code documents and store them in an event database (SQLite).
    Ingest(IngestArgs),
    /// Query an event database.
    Query(QueryArgs),
    /// Serve the HTTP API and the dashboard over an event database.
    Serve(ServeArgs),
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Score event type and source country on PLOVER gold records (JSON).
    Plover {
        /// PLOVER gold file (a JSON array of records).
        file: PathBuf,
        #[command(flatten)]
        common: CommonCoding,
    },
}

#[derive(Args)]
struct IngestArgs {
    /// Input files (text, JSONL, HTML).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Event database (created if missing).
    #[arg(long)]
    db: PathBuf,
    #[command(flatten)]
    common: CommonCoding,
    /// Documents per transaction.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Worker threads that code a transaction's documents (0: one per
    /// core; 1: no extra thread; at most 1024). The database is the same
    /// for any number.
    #[arg(short, long, default_value_t = 0)]
    jobs: usize,
}

#[derive(Args)]
struct QueryArgs {
    /// Event database.
    #[arg(long)]
    db: PathBuf,
    /// Actor code prefix (IRQ matches IRQGOV).
    #[arg(long)]
    actor: Option<String>,
    /// Country (ISO3) of an actor.
    #[arg(long)]
    country: Option<String>,
    /// Side for --actor/--country: source, target or either.
    #[arg(long, default_value = "either")]
    role: String,
    /// Dyad A,B (source A, target B).
    #[arg(long, value_delimiter = ',', num_args = 2)]
    dyad: Option<Vec<String>>,
    /// Match the dyad in both directions.
    #[arg(long)]
    both: bool,
    /// CAMEO code or prefix (04 = the root, 042 = that code and children).
    #[arg(long)]
    cameo: Option<String>,
    /// CAMEO root, exactly.
    #[arg(long)]
    root: Option<String>,
    /// QuadClass 1-4.
    #[arg(long)]
    quad_class: Option<u8>,
    /// First date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<String>,
    /// Last date, inclusive.
    #[arg(long)]
    to: Option<String>,
    /// ISO3 country of the event location.
    #[arg(long)]
    location_country: Option<String>,
    /// Full-text search over sentences (SQLite FTS5 syntax).
    #[arg(long)]
    text: Option<String>,
    /// Output format: jsonl, plover, gdelt, phoenix, csv, parquet.
    #[arg(long, default_value = "jsonl")]
    format: String,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    /// Event database (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Bearer token required for writes (or DYAD_TOKEN).
    #[arg(long)]
    token: Option<String>,
    #[command(flatten)]
    common: CommonCoding,
}

#[derive(Subcommand)]
enum DictCommand {
    /// Load dictionary files and report every problem as file:line: cause.
    Check {
        /// Dictionary files or directories (default: dyad's own set).
        paths: Vec<PathBuf>,
    },
    /// The curation queue: frequent capitalised names no actor entry matches.
    Candidates {
        /// Corpus files (text, JSONL, HTML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Dictionary directory (default: dyad's own set).
        #[arg(long)]
        dict_dir: Option<PathBuf>,
        /// How many names to list.
        #[arg(long, default_value_t = 30)]
        top: usize,
        /// Minimum count.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
    },
}

/// Input formats of `dyad code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum InputKind {
    /// By file extension (.txt, .jsonl, .html, .xml, .conllu).
    Auto,
    /// Plain text.
    Text,
    /// JSON Lines with id, text, title, date/published, url, source.
    Jsonl,
    /// HTML page.
    Html,
    /// PETRARCH XML.
    Xml,
    /// CoNLL-U (already parsed).
    Conllu,
}

#[derive(Args)]
struct CommonCoding {
    /// Directory of PETRARCH-format dictionaries (default: dyad's own set).
    #[arg(long)]
    dict_dir: Option<PathBuf>,
    /// Tagger/parser model file (default: the one compiled in).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Ignore supplied parses and parse the text with dyad's own parser.
    #[arg(long)]
    ignore_parse: bool,
}

#[derive(Args)]
struct CodeArgs {
    /// Input files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    common: CommonCoding,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    input_format: InputKind,
    /// Output format: jsonl, plover, gdelt, phoenix, csv, parquet.
    #[arg(long, default_value = "jsonl")]
    format: String,
    /// De-duplication: none, story, day, cluster.
    #[arg(long, default_value = "none")]
    dedup: String,
    /// Publication date (YYYY-MM-DD) for documents that give none.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Also emit negated events (flagged modality.negated).
    #[arg(long)]
    keep_negated: bool,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Worker threads for raw documents (0: one per core; 1: no extra
    /// thread; at most 1024). The output is the same for any number.
    #[arg(short, long, default_value_t = 0)]
    jobs: usize,
}

#[derive(Args)]
struct ValidateArgs {
    /// PETRARCH XML file with gold codings.
    file: PathBuf,
    #[command(flatten)]
    common: CommonCoding,
    /// Score against the gold codings of this file instead (records matched by id).
    #[arg(long)]
    gold_from: Option<PathBuf>,
    /// With --gold-from: score only records whose text is the same in both files.
    #[arg(long)]
    same_text_only: bool,
    /// Exit non-zero when fewer than this percentage of records are exact.
    #[arg(long)]
    min_exact: Option<f64>,
}

#[derive(Args)]
struct TrainArgs {
    /// Training treebank.
    #[arg(long, default_value = "../shared/data/ud-ewt/en_ewt-ud-train.conllu")]
    train: PathBuf,
    /// Development treebank (early stopping).
    #[arg(long, default_value = "../shared/data/ud-ewt/en_ewt-ud-dev.conllu")]
    dev: PathBuf,
    /// Where to write the model.
    #[arg(short, long, default_value = "models/en-ewt.dyadnlp")]
    output: PathBuf,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

#[derive(Args)]
struct ParseArgs {
    /// Input file (raw text/JSONL/HTML, or CoNLL-U with --conllu-in).
    file: PathBuf,
    /// Re-parse the gold tokens of a CoNLL-U file, keeping its tokenisation.
    #[arg(long)]
    conllu_in: bool,
    /// Tagger/parser model file (default: the one compiled in).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Worker threads for raw documents (0: one per core; 1: no extra
    /// thread; at most 1024). The output is the same for any number.
    #[arg(short, long, default_value_t = 0)]
    jobs: usize,
}

#[derive(Args)]
struct EvalParserArgs {
    /// Gold CoNLL-U file.
    gold: PathBuf,
    /// Tagger/parser model file (default: the one compiled in).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Exit non-zero below these floors: UPOS,UAS,LAS (e.g. 95,85,81).
    #[arg(long, value_delimiter = ',')]
    min: Vec<f64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Code(a) => cmd_code(a),
        Command::Validate(a) => cmd_validate(a),
        Command::Dict(DictCommand::Check { paths }) => cmd_dict_check(paths),
        Command::Train(a) => cmd_train(a),
        Command::Parse(a) => cmd_parse(a),
        Command::EvalParser(a) => cmd_eval_parser(a),
        Command::Dict(DictCommand::Candidates {
            files,
            dict_dir,
            top,
            min_count,
        }) => cmd_candidates(files, dict_dir, top, min_count),
        Command::Eval(EvalCommand::Plover { file, common }) => cmd_eval_plover(file, common),
        Command::Ingest(a) => cmd_ingest(a),
        Command::Query(a) => cmd_query(a),
        Command::Serve(a) => cmd_serve(a),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn output(path: Option<&Path>) -> Result<Box<dyn Write + Send>> {
    Ok(match path {
        Some(p) => {
            Box::new(File::create(p).with_context(|| format!("{}: cannot create", p.display()))?)
        }
        None => Box::new(io::stdout()),
    })
}

fn load_coder(dict_dir: Option<&Path>) -> Result<Coder> {
    let dicts = match dict_dir {
        Some(d) => data::dictionaries_from_dir(d)?,
        None => data::default_dictionaries()?,
    };
    for w in &dicts.warnings {
        eprintln!("{w}");
    }
    Ok(Coder::new(dicts, CoderOptions::default()))
}

fn input_kind(path: &Path, kind: InputKind) -> InputKind {
    if kind != InputKind::Auto {
        return kind;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xml") => InputKind::Xml,
        Some("conllu") => InputKind::Conllu,
        Some("jsonl") | Some("ndjson") => InputKind::Jsonl,
        Some("html") | Some("htm") => InputKind::Html,
        _ => InputKind::Auto,
    }
}

fn cmd_code(a: CodeArgs) -> Result<ExitCode> {
    let format: Format = a.format.parse()?;
    let dedup: DedupMode = a.dedup.parse()?;
    let opts = PipelineOptions {
        keep_negated: a.keep_negated,
        default_date: a.date,
        ..PipelineOptions::default()
    };
    let needs_model = a.common.ignore_parse
        || a.files.iter().any(|f| {
            !matches!(
                input_kind(f, a.input_format),
                InputKind::Xml | InputKind::Conllu
            )
        });
    let model = if needs_model {
        Some(data::load_model(a.common.model.as_deref())?)
    } else {
        None
    };
    let enricher = dyad_enrich::Enricher::builtin().context("loading the gazetteer")?;
    let base_coder = load_coder(a.common.dict_dir.as_deref())?;
    let pipe = Pipeline::new(base_coder, model, Some(enricher), opts);
    let workers = Workers::new(a.jobs)?;

    let out = output(a.output.as_deref())?;
    let wopts = dyad_output::WriterOptions {
        date_added: Some(chrono::Utc::now().format("%Y%m%d%H%M%S").to_string()),
        ..dyad_output::WriterOptions::default()
    };
    let mut sink = dyad_output::writer_with(format, BufWriter::new(out), &wopts)?;
    let mut metas: std::collections::HashMap<String, DocMeta> = std::collections::HashMap::new();
    let mut deduper = dyad_output::dedup::Deduper::new(DedupOptions::new(dedup));
    let mut errors = 0usize;
    let mut emit = |ev: dyad_core::Event, meta: Option<&DocMeta>| -> Result<()> {
        if let Some(e) = deduper.push(ev, meta) {
            sink.write_with(&e, meta)?;
        }
        Ok(())
    };
    for file in &a.files {
        match input_kind(file, a.input_format) {
            InputKind::Xml => {
                let x = dyad_input::read_petrarch_xml(file)?;
                for e in &x.errors {
                    eprintln!("{e}");
                    errors += 1;
                }
                // A PETRARCH file names its own dictionaries; honour them
                // unless --dict-dir points elsewhere and lacks them.
                let local;
                let p = match (&x.environment, a.common.dict_dir.is_some()) {
                    (Some(env), _) if env.verb_file.is_some() => {
                        let dicts = dyad_coder::validate::load_environment(
                            env,
                            a.common.dict_dir.as_deref(),
                            file,
                        )?;
                        local = pipe.with_coder(Coder::new(dicts, CoderOptions::default()));
                        &local
                    }
                    _ => &pipe,
                };
                for r in &x.records {
                    let parsed = if a.common.ignore_parse {
                        p.parse_text(&r.text)
                    } else {
                        dyad_coder::validate::record_sentence(r)
                    };
                    let Some(parsed) = parsed else { continue };
                    let o = dyad_coder::validate::record_options(p.coder().options(), r);
                    let date = dyad_coder::validate::record_date(r);
                    for ev in p.code_parsed(&r.id, "1", &r.text, &parsed, date.or(a.date), &o) {
                        emit(ev, None)?;
                    }
                }
            }
            InputKind::Conllu => {
                let (sents, errs) = dyad_input::read_conllu_file(file)?;
                for e in &errs {
                    eprintln!("{e}");
                    errors += 1;
                }
                let stem = file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("doc")
                    .to_string();
                for (i, s) in sents.iter().enumerate() {
                    let sid = s.sent_id.clone().unwrap_or_else(|| (i + 1).to_string());
                    let text = s.text.clone().unwrap_or_else(|| {
                        s.tokens
                            .iter()
                            .map(|t| t.form.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    let parsed = if a.common.ignore_parse {
                        pipe.parse_text(&text)
                    } else {
                        match dyad_coder::ParsedSentence::from_conllu(s) {
                            Ok(p) => Some(p),
                            Err(e) => {
                                eprintln!("{}:{}: {e}", file.display(), s.line);
                                errors += 1;
                                None
                            }
                        }
                    };
                    let Some(parsed) = parsed else { continue };
                    for ev in pipe.code_parsed(
                        &stem,
                        &sid,
                        &text,
                        &parsed,
                        a.date,
                        pipe.coder().options(),
                    ) {
                        emit(ev, None)?;
                    }
                }
            }
            kind => {
                let fmt = match kind {
                    InputKind::Text => dyad_text::InputFormat::Text,
                    InputKind::Jsonl => dyad_text::InputFormat::Jsonl,
                    InputKind::Html => dyad_text::InputFormat::Html,
                    _ => dyad_text::InputFormat::Auto,
                };
                let got = dyad_text::read_path(file, fmt)?;
                for e in &got.errors {
                    eprintln!("{e}");
                    errors += 1;
                }
                // documents are coded on the workers a batch at a time and
                // written in input order
                for batch in got.docs.chunks(workers.batch()) {
                    let coded = pipe.code_documents(batch, &workers);
                    for (doc, coded) in batch.iter().zip(coded) {
                        let meta = DocMeta {
                            doc_id: doc.id.clone(),
                            source: doc.source.clone(),
                            url: doc.url.clone(),
                            published: doc.date.clone(),
                        };
                        for w in &coded.warnings {
                            eprintln!("{w}");
                        }
                        for ev in coded.events {
                            emit(ev, Some(&meta))?;
                        }
                        if dedup == DedupMode::Cluster {
                            metas.insert(meta.doc_id.clone(), meta);
                        }
                    }
                }
            }
        }
    }
    for e in deduper.finish() {
        sink.write_with(&e, metas.get(&e.doc_id))?;
    }
    let summary = sink.finish()?;
    eprintln!(
        "dyad: {} events written, {} input errors",
        summary.written, errors
    );
    Ok(ExitCode::SUCCESS)
}

fn cmd_validate(a: ValidateArgs) -> Result<ExitCode> {
    let opts = dyad_coder::validate::ValidateOptions {
        dict_dir: a.common.dict_dir.clone(),
        coder: CoderOptions::default(),
        gold_from: a.gold_from.clone(),
    };
    let report = if a.common.ignore_parse {
        let model = data::load_model(a.common.model.as_deref())?;
        let mut x = dyad_input::read_petrarch_xml(&a.file)?;
        let env = x
            .environment
            .clone()
            .context("the file has no <Environment>")?;
        let dicts =
            dyad_coder::validate::load_environment(&env, a.common.dict_dir.as_deref(), &a.file)?;
        let pipe = Pipeline::new(
            Coder::new(dicts, CoderOptions::default()),
            Some(model),
            None,
            PipelineOptions::default(),
        );
        for r in x.records.iter_mut() {
            r.parse = match pipe.analyze_text(&r.text) {
                Some(c) => dyad_input::xml::Parse::Conllu(c),
                None => dyad_input::xml::Parse::None,
            };
        }
        dyad_coder::validate::validate_records(&x, pipe.coder(), &CoderOptions::default())
    } else {
        dyad_coder::validate::validate_file_with(&a.file, &opts, a.same_text_only)?
    };
    let mut out = io::stdout().lock();
    report.write(&mut out)?;
    if let Some(min) = a.min_exact {
        if report.exact_pct() < min {
            eprintln!(
                "dyad: {:.1}% exact is below the required {min}%",
                report.exact_pct()
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_dict_check(paths: Vec<PathBuf>) -> Result<ExitCode> {
    let mut files: Vec<(PathBuf, Option<dyad_dict::DictKind>)> = Vec::new();
    let add_dir =
        |d: &Path, files: &mut Vec<(PathBuf, Option<dyad_dict::DictKind>)>| -> Result<()> {
            let mut v: Vec<PathBuf> = std::fs::read_dir(d)
                .with_context(|| format!("{}: cannot read directory", d.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| data::dict_kind(n).is_some())
                })
                .collect();
            v.sort();
            files.extend(v.into_iter().map(|p| (p, None)));
            Ok(())
        };
    if paths.is_empty() {
        add_dir(
            &PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/dict")),
            &mut files,
        )?;
    }
    for p in paths {
        if p.is_dir() {
            add_dir(&p, &mut files)?;
        } else {
            files.push((p, None));
        }
    }
    if files.is_empty() {
        bail!("no dictionary files to check");
    }
    let book = files
        .iter()
        .find(|(p, _)| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("PETR.Validate"))
        })
        .map_or_else(dyad_dict::codebooks::standard, |_| {
            dyad_dict::codebooks::validate_suite()
        });
    let report = dyad_dict::check::check(&files, book)?;
    println!("{report}");
    Ok(if report.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cmd_train(a: TrainArgs) -> Result<ExitCode> {
    let opts = dyad_nlp::TrainOptions {
        threads: a.threads,
        verbose: true,
        ..dyad_nlp::TrainOptions::default()
    };
    let model = dyad_nlp::train(&a.train, &a.dev, &opts)?;
    model.save(&a.output)?;
    eprintln!("dyad: model written to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}

fn cmd_parse(a: ParseArgs) -> Result<ExitCode> {
    let model = data::load_model(a.model.as_deref())?;
    let mut out = BufWriter::new(output(a.output.as_deref())?);
    if a.conllu_in {
        let stats = dyad_nlp::reparse_conllu(&model, &a.file, &mut out)?;
        eprintln!("dyad: {stats:?}");
    } else {
        let got = dyad_text::read_path(&a.file, dyad_text::InputFormat::Auto)?;
        for e in &got.errors {
            eprintln!("{e}");
        }
        // documents are parsed on the workers a batch at a time and written
        // in input order
        let workers = Workers::new(a.jobs)?;
        for batch in got.docs.chunks(workers.batch()) {
            for text in workers.map(batch, |doc| dyad::pipeline::document_conllu(&model, doc)) {
                out.write_all(text.as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_eval_parser(a: EvalParserArgs) -> Result<ExitCode> {
    let model = data::load_model(a.model.as_deref())?;
    let s = dyad_nlp::eval(&model, &a.gold)?;
    println!(
        "UPOS {:.2} XPOS {:.2} UAS {:.2} LAS {:.2}",
        s.upos, s.xpos, s.uas, s.las
    );
    if a.min.len() == 3 && (s.upos < a.min[0] || s.uas < a.min[1] || s.las < a.min[2]) {
        eprintln!(
            "dyad: below the floor UPOS {} UAS {} LAS {}",
            a.min[0], a.min[1], a.min[2]
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The full raw-text pipeline with the given dictionaries and model.
fn raw_pipeline(common: &CommonCoding, opts: PipelineOptions) -> Result<Pipeline> {
    let model = data::load_model(common.model.as_deref())?;
    let enricher = dyad_enrich::Enricher::builtin().context("loading the gazetteer")?;
    Ok(Pipeline::new(
        load_coder(common.dict_dir.as_deref())?,
        Some(model),
        Some(enricher),
        opts,
    ))
}

fn cmd_candidates(
    files: Vec<PathBuf>,
    dict_dir: Option<PathBuf>,
    top: usize,
    min_count: usize,
) -> Result<ExitCode> {
    let dir = dict_dir.unwrap_or_else(dyad_curate::default_dict_dir);
    let (dicts, _) = dyad_curate::load_default(&dir)?;
    let opts = dyad_curate::CandidateOptions {
        limit: top,
        min_count,
        ..dyad_curate::CandidateOptions::default()
    };
    let list = dyad_curate::candidates_with(&files, &dicts, &opts)?;
    let mut out = io::stdout().lock();
    writeln!(out, "count\tname\tsample sentence")?;
    for c in &list {
        writeln!(out, "{}\t{}\t{}", c.count, c.name, c.sample_sentence)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_eval_plover(file: PathBuf, common: CommonCoding) -> Result<ExitCode> {
    let records = dyad_curate::plover::read_gold(&file)?;
    let pipe = raw_pipeline(&common, PipelineOptions::default())?;
    let book = dyad_dict::codebooks::standard();
    let report = dyad_curate::plover::eval_plover(&records, book, |rec| {
        let mut doc = dyad_text::Document::new(rec.id.clone(), rec.text.clone());
        doc.date = rec.date.clone();
        pipe.code_document(&doc)
            .events
            .into_iter()
            .map(|e| dyad_curate::plover::PredictedEvent {
                source: e.source.map(|a| a.code),
                target: e.target.map(|a| a.code),
                cameo: e.event.cameo,
            })
            .collect()
    });
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn cmd_ingest(a: IngestArgs) -> Result<ExitCode> {
    let pipe = raw_pipeline(&a.common, PipelineOptions::default())?;
    let mut store = dyad_store::Store::open(&a.db)?;
    // Documents are read by dyad-text (one reader for every command); each
    // bad file or record is reported and skipped.
    let docs = dyad::service::read_incoming(&a.files);
    let opts = dyad_store::IngestOptions {
        batch_size: a.batch.max(1),
        ..dyad_store::IngestOptions::default()
    };
    let workers = Workers::new(a.jobs)?;
    let coder = dyad::service::ParallelPipeline {
        pipe: &pipe,
        workers: &workers,
    };
    let summary = dyad_store::ingest(docs, &mut store, &coder, &opts, &mut |_| {})?;
    for e in &summary.errors {
        eprintln!("{}: {}", e.origin, e.message);
    }
    eprintln!("dyad: {summary}");
    Ok(ExitCode::SUCCESS)
}

fn cmd_query(a: QueryArgs) -> Result<ExitCode> {
    let format: Format = a.format.parse()?;
    let role: dyad_store::Role = a.role.parse()?;
    let filter = dyad_store::Filter {
        actor: a.actor,
        actor_role: role,
        country: a.country,
        country_role: role,
        dyad: a.dyad.and_then(|v| match v.as_slice() {
            [x, y] => Some((x.clone(), y.clone())),
            _ => None,
        }),
        dyad_both_directions: a.both,
        cameo: a.cameo,
        root: a.root,
        quad_class: a.quad_class,
        from: a.from,
        to: a.to,
        location_country: a.location_country,
        text: a.text,
        ..dyad_store::Filter::default()
    };
    let events = dyad_store::query(&a.db, &filter)?;
    let mut sink = dyad_output::writer(format, BufWriter::new(output(a.output.as_deref())?))?;
    for e in &events {
        sink.write(e)?;
    }
    let s = sink.finish()?;
    eprintln!("dyad: {} events", s.written);
    Ok(ExitCode::SUCCESS)
}

fn cmd_serve(a: ServeArgs) -> Result<ExitCode> {
    let pipe = raw_pipeline(&a.common, PipelineOptions::default())?;
    let mut config = dyad_server::ServeConfig::new(&a.db);
    config.addr = a.addr;
    if a.token.is_some() {
        config.token = a.token;
    }
    dyad_server::serve(config, std::sync::Arc::new(pipe))?;
    Ok(ExitCode::SUCCESS)
}
