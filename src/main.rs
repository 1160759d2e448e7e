//! Command line of prikaz: `check`, `render`, `watch`, `serve`, `new`. Messages are in Russian.
//!
//! Exit codes: 0 — success; 1 — invalid input or a failed output; 2 — wrong
//! command-line usage.

#![allow(clippy::result_large_err)] // see lib.rs

// musl's allocator is slow for Typst's many small allocations (Cargo.toml).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, CommandFactory, Parser, Subcommand};
use prikaz::diag::{Diagnostic, Diagnostics};
use prikaz::output::{self, Written};
use prikaz::read::Limits;
use prikaz::render::Engine;
use prikaz::render::Format;
use prikaz::resolve::Selection;
use prikaz::templates::Templates;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` that does not panic when the reader has gone (`prikaz … | head`).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// `eprintln!` that does not panic when stderr is closed, and never sends
/// control characters from user text (an ESC sequence in a name would retitle
/// or clear the clerk's terminal): they are shown as `\u{1b}`.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let s = prikaz::diag::terminal_safe(&format!($($t)*));
        let _ = writeln!(std::io::stderr().lock(), "{s}");
    }};
}

const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "prikaz",
    // "prikaz", not the file name: the same help on Windows (prikaz.exe).
    bin_name = "prikaz",
    version,
    about = "Приказы, распоряжения и постановления из YAML в PDF и DOCX по ГОСТ Р 7.0.97",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Команды",
    subcommand_value_name = "КОМАНДА",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Коды выхода: 0 — успешно; 1 — ошибки во входных файлах или при записи; 2 — неверная команда.\nПодробнее: prikaz КОМАНДА --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help = "Показать эту справку", global = true, help_heading = "Общие параметры")]
    _help: Option<bool>,
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help = "Показать версию", help_heading = "Общие параметры")]
    _version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Проверить файлы акта, ничего не создавая
    #[command(help_template = HELP_TEMPLATE, override_usage = "prikaz check [ПАРАМЕТРЫ] <ФАЙЛ>...")]
    Check {
        /// YAML-файлы актов
        #[arg(
            value_name = "ФАЙЛ",
            required_unless_present = "explain",
            help_heading = "Аргументы"
        )]
        files: Vec<PathBuf>,
        /// Вывод: text или json (для других программ; по умолчанию text)
        #[arg(
            long = "format",
            value_name = "ВИД",
            default_value = "text",
            hide_default_value = true,
            help_heading = "Параметры"
        )]
        output: String,
        /// Пояснить код проверки (P101 …) или ошибки (E006 …); без кода — перечислить все
        #[arg(long, value_name = "КОД", num_args = 0..=1, default_missing_value = "", help_heading = "Параметры")]
        explain: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Сформировать PDF и DOCX
    #[command(help_template = HELP_TEMPLATE, override_usage = "prikaz render [ПАРАМЕТРЫ] <ФАЙЛ>...")]
    Render {
        #[command(flatten)]
        make: Make,
        /// Только одно приложение: приложение:ID или приложение:НОМЕР
        #[arg(long, value_name = "ЧТО", help_heading = "Параметры")]
        only: Option<String>,
        /// Не перезаписывать существующие файлы
        #[arg(long, help_heading = "Параметры")]
        no_clobber: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Следить за актами и формировать файлы заново после каждого сохранения
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz watch [ПАРАМЕТРЫ] <ФАЙЛ>...",
        after_help = "Файлы формируются заново, когда меняется YAML-файл акта, его профиль, таблицы CSV/XLSX/ODS или герб.\nПри ошибках прежние файлы остаются на месте. Выход — Ctrl-C."
    )]
    Watch {
        #[command(flatten)]
        make: Make,
        #[command(flatten)]
        common: Common,
    },
    /// Редактор в браузере: YAML слева, страницы справа, обновляются при наборе
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz serve [ФАЙЛ|ПАПКА] [--port N] [--no-open]",
        after_help = "Страница открывается только на этом компьютере (http://127.0.0.1:ПОРТ/) и работает без интернета.\nОна читает и сохраняет файлы только внутри открытой папки. Выход — Ctrl-C."
    )]
    Serve {
        /// YAML-файл акта или папка с актами (по умолчанию — текущая папка)
        #[arg(value_name = "ФАЙЛ|ПАПКА", help_heading = "Аргументы")]
        path: Option<PathBuf>,
        /// Порт (по умолчанию 7097; 0 — любой свободный)
        #[arg(
            long,
            value_name = "N",
            default_value_t = 7097,
            hide_default_value = true,
            help_heading = "Параметры"
        )]
        port: u16,
        /// Не открывать браузер, только напечатать адрес страницы
        #[arg(long, help_heading = "Параметры")]
        no_open: bool,
        /// Наибольший размер YAML-файла и запроса: 4МБ, 500КБ или число байт (по умолчанию 4 МБ)
        #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Limits::default().max_input, hide_default_value = true, help_heading = "Параметры")]
        max_input: u64,
    },
    /// Один акт или приложение для многих районов и школ
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz batch [ПАРАМЕТРЫ] <ОСНОВА> <ВАРИАНТЫ>"
    )]
    Batch {
        /// Общий YAML-файл акта с подстановками {{ … }} (основа.yaml)
        #[arg(value_name = "ОСНОВА", help_heading = "Аргументы")]
        base: PathBuf,
        /// Варианты: YAML-список или CSV (строка на вариант, «имя» — название): районы.yaml или районы.csv
        #[arg(value_name = "ВАРИАНТЫ", help_heading = "Аргументы")]
        variants: PathBuf,
        /// Папка для результатов (по умолчанию out рядом с основой)
        #[arg(
            short = 'o',
            long = "out",
            value_name = "ПАПКА",
            help_heading = "Параметры"
        )]
        out: Option<PathBuf>,
        /// Форматы через запятую: pdf, docx (по умолчанию pdf)
        #[arg(
            long,
            value_name = "ФОРМАТЫ",
            default_value = "pdf",
            hide_default_value = true,
            help_heading = "Параметры"
        )]
        format: String,
        /// Ещё один PDF со всеми вариантами подряд
        #[arg(long, help_heading = "Параметры")]
        merge: bool,
        /// Итог в JSON (в стандартный вывод) для других программ
        #[arg(long, help_heading = "Параметры")]
        json: bool,
        /// Число потоков (по умолчанию — все ядра)
        #[arg(
            short = 'j',
            long = "jobs",
            value_name = "N",
            help_heading = "Параметры"
        )]
        jobs: Option<usize>,
        /// Не перезаписывать существующие файлы
        #[arg(long, help_heading = "Параметры")]
        no_clobber: bool,
        #[command(flatten)]
        blank: BlankArg,
        #[command(flatten)]
        pdf: PdfArg,
        #[command(flatten)]
        common: Common,
    },
    /// Напечатать дополнение команд для оболочки (bash, zsh, fish, powershell)
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz completions <ОБОЛОЧКА>",
        after_help = "Пример для bash: prikaz completions bash > ~/.local/share/bash-completion/completions/prikaz"
    )]
    Completions {
        /// Оболочка: bash, zsh, fish, powershell или elvish
        #[arg(
            value_name = "ОБОЛОЧКА",
            help_heading = "Аргументы",
            hide_possible_values = true
        )]
        shell: clap_complete::Shell,
    },
    /// Напечатать страницу справки man (формат roff)
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz man",
        after_help = "Пример: prikaz man > prikaz.1 && man -l prikaz.1"
    )]
    Man,
    /// Напечатать JSON-схему акта или профиля для подсказок в редакторе (VS Code)
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz schema [акт|профиль] [-o ФАЙЛ]",
        after_help = "Пример: prikaz schema -o схема-акта.json && prikaz schema профиль -o профили/схема-профиля.json\n\nОбразцы prikaz new уже ссылаются на схему первой строкой:\n# yaml-language-server: $schema=схема-акта.json\nVS Code с расширением YAML (Red Hat) тогда дополняет поля и показывает ошибки при наборе."
    )]
    Schema {
        /// Чья схема: акт (по умолчанию) или профиль
        #[arg(
            value_name = "ЧЬЯ",
            default_value = "акт",
            hide_default_value = true,
            help_heading = "Аргументы"
        )]
        which: String,
        /// Записать в файл, а не на экран
        #[arg(
            short = 'o',
            long = "out",
            value_name = "ФАЙЛ",
            help_heading = "Параметры"
        )]
        out: Option<PathBuf>,
    },
    /// Напечатать образец YAML-файла для нового акта
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz new [ВИД] [--with план|положение|список] [--profile ПРОФИЛЬ]",
        after_help = "Пример: prikaz new распоряжение --with положение --profile профили/уо.yaml > распоряжение.yaml"
    )]
    New {
        /// Вид акта: приказ, распоряжение или постановление (по умолчанию приказ)
        #[arg(
            value_name = "ВИД",
            default_value = "приказ",
            hide_default_value = true,
            help_heading = "Аргументы"
        )]
        kind: String,
        /// Добавить приложения: план, положение, список (через запятую или повторяя параметр)
        #[arg(
            long = "with",
            value_name = "ПРИЛОЖЕНИЯ",
            value_delimiter = ',',
            help_heading = "Параметры"
        )]
        with: Vec<String>,
        /// Профиль организации (путь от папки, где будет лежать акт): в образце остаётся только то, чего в профиле нет
        #[arg(long = "profile", value_name = "ПРОФИЛЬ", help_heading = "Параметры")]
        profile: Option<String>,
    },
}

/// What `render` and `watch` make of which acts, and where.
#[derive(Args)]
struct Make {
    /// YAML-файлы актов
    #[arg(value_name = "ФАЙЛ", required = true, help_heading = "Аргументы")]
    files: Vec<PathBuf>,
    /// Папка для результатов (по умолчанию — папка YAML-файла)
    #[arg(
        short = 'o',
        long = "out",
        value_name = "ПАПКА",
        help_heading = "Параметры"
    )]
    out: Option<PathBuf>,
    /// Форматы через запятую: pdf, docx, png (по умолчанию pdf)
    #[arg(
        long,
        value_name = "ФОРМАТЫ",
        default_value = "pdf",
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    format: String,
    #[command(flatten)]
    blank: BlankArg,
    /// Разрешение PNG-превью, точек на дюйм (по умолчанию 100)
    #[arg(
        long,
        value_name = "DPI",
        default_value_t = 100.0,
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    dpi: f32,
    #[command(flatten)]
    pdf: PdfArg,
}

#[derive(Args)]
struct BlankArg {
    /// Печать на готовом бланке организации: герб, наименование органа и вид документа не печатаются, их место остаётся пустым (то же — «оформление: {бланк: да}»)
    #[arg(long = "blank", help_heading = "Параметры")]
    on: bool,
}

#[derive(Args)]
struct PdfArg {
    /// Стандарт PDF: a-2b — архивный PDF/A-2b (по умолчанию), ua — PDF/A-2a и PDF/UA-1 (с разметкой для чтения с экрана), обычный — простой PDF
    #[arg(
        long = "pdf-standard",
        value_name = "СТАНДАРТ",
        value_parser = prikaz::render::PdfStandard::parse,
        default_value = "a-2b",
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    standard: prikaz::render::PdfStandard,
}

#[derive(Args)]
struct Common {
    /// Папка со своими шаблонами (act.typ, wording/*.j2)
    #[arg(long, value_name = "ПАПКА", help_heading = "Параметры")]
    template: Option<PathBuf>,
    /// Наибольший размер YAML-файла: 4МБ, 500КБ или число байт (по умолчанию 4 МБ)
    #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Limits::default().max_input, hide_default_value = true, help_heading = "Параметры")]
    max_input: u64,
    /// Наибольшее число строк в одной таблице (по умолчанию 10 000)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_rows, hide_default_value = true, help_heading = "Параметры")]
    max_rows: usize,
    /// Наибольший размер изображения (герба): 10МБ, 800КБ или число байт (по умолчанию 10 МБ)
    #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Limits::default().max_image_bytes, hide_default_value = true, help_heading = "Параметры")]
    max_image: u64,
    /// Папка, внутри которой разрешено брать файлы (гербы, CSV); по умолчанию — папка YAML-файла акта, в batch — папка файла-основы
    #[arg(long, value_name = "ПАПКА", help_heading = "Параметры")]
    root: Option<PathBuf>,
    /// Отключить проверки с этими кодами (через запятую: P101,P601)
    #[arg(
        long,
        value_name = "КОДЫ",
        value_delimiter = ',',
        help_heading = "Проверки"
    )]
    allow: Vec<String>,
    /// Считать предупреждения ошибками: при них файлы не создаются, код выхода 1
    #[arg(long, help_heading = "Проверки")]
    strict: bool,
}

impl Common {
    fn limits(&self) -> Limits {
        Limits {
            max_input: self.max_input,
            max_rows: self.max_rows,
            max_image_bytes: self.max_image,
            root: self.root.clone(),
            allow: self.allow.clone(),
            ..Limits::default()
        }
    }
}

fn main() -> ExitCode {
    prikaz::timings::start();
    let code = run();
    prikaz::timings::finish();
    code
}

fn run() -> ExitCode {
    // A panic in a library we call is caught and reported as an error (diag::guard),
    // so the hook stays quiet there; anywhere else it says in Russian what happened.
    std::panic::set_hook(Box::new(|info| {
        if std::env::var_os("PRIKAZ_DEBUG").is_some() {
            tell!("{info}");
        } else if !prikaz::diag::in_guard() {
            tell!(
                "внутренняя ошибка prikaz: {info}\nэто ошибка программы, а не ваша: сообщите разработчикам и приложите YAML-файл"
            );
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    prikaz::timings::mark("разбор параметров");
    match cli.command {
        Command::Check {
            files,
            output,
            explain,
            common,
        } => match explain {
            Some(code) => explain_code(&code),
            None => check(&files, &output, &common),
        },
        Command::Render {
            make,
            only,
            no_clobber,
            common,
        } => render(&make, only.as_deref(), no_clobber, &common),
        Command::Watch { make, common } => watch(&make, &common),
        Command::Serve {
            path,
            port,
            no_open,
            max_input,
        } => serve(path.as_deref(), port, no_open, max_input),
        Command::New {
            kind,
            with,
            profile,
        } => new_starter(&kind, &with, profile.as_deref()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "prikaz", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => manual(),
        Command::Schema { which, out } => schema(&which, out.as_deref()),
        Command::Batch {
            base,
            variants,
            out,
            format,
            merge,
            json,
            jobs,
            no_clobber,
            blank,
            pdf,
            common,
        } => batch(
            &base,
            &variants,
            out,
            &format,
            merge,
            json,
            jobs,
            no_clobber,
            pdf.standard,
            blank.on,
            &common,
        ),
    }
}

/// clap's own errors, told in Russian; exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand => {
            let _ = Cli::command().print_help();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let detail = e
        .get(clap::error::ContextKind::InvalidArg)
        .or_else(|| e.get(clap::error::ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let msg = match e.kind() {
        K::UnknownArgument => format!("неизвестный параметр {detail}"),
        K::InvalidSubcommand => {
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            format!(
                "неизвестная команда {detail}; есть команды: {}",
                names.join(", ")
            )
        }
        K::MissingRequiredArgument => {
            format!("не хватает аргумента {detail}: укажите хотя бы один YAML-файл")
        }
        K::InvalidValue | K::ValueValidation => {
            // Our own value parsers explain themselves in Russian.
            match std::error::Error::source(&e) {
                Some(why) => format!("неверное значение параметра {detail}: {why}"),
                None => format!("неверное значение параметра {detail}"),
            }
        }
        K::TooManyValues | K::ArgumentConflict => format!("лишний аргумент {detail}"),
        _ => "неверная команда".to_string(),
    };
    tell!("ошибка: {msg}");
    if let Some(sug) = e.get(clap::error::ContextKind::SuggestedArg) {
        tell!("подсказка: возможно, вы имели в виду {sug}");
    }
    if let Some(sug) = e.get(clap::error::ContextKind::SuggestedSubcommand) {
        tell!("подсказка: возможно, вы имели в виду {sug}");
    }
    tell!("справка: prikaz --help");
    ExitCode::from(2)
}

/// A size as a clerk writes it: «4МБ», «4 МБ», «500КБ», «1,5 МБ», «4MB» or a
/// number of bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let factor: u64 = match unit.trim() {
        "" | "б" | "байт" | "b" => 1,
        "к" | "кб" | "кбайт" | "k" | "kb" | "kib" => 1 << 10,
        "м" | "мб" | "мбайт" | "m" | "mb" | "mib" => 1 << 20,
        "г" | "гб" | "гбайт" | "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "«{s}» — не размер: пишите 4МБ, 500КБ или число байт"
            ));
        }
    };
    let value: f64 = num
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("«{s}» — не размер: пишите 4МБ, 500КБ или число байт"))?;
    let bytes = value * factor as f64;
    if !(1.0..=u64::MAX as f64).contains(&bytes) {
        return Err(format!("«{s}»: размер должен быть больше нуля"));
    }
    Ok(bytes as u64)
}

fn load_templates(common: &Common) -> Result<Templates, ExitCode> {
    for code in &common.allow {
        if prikaz::lint::codes::info(code).is_none() {
            tell!("ошибка: неизвестный код проверки «{code}»; список: prikaz check --explain");
            return Err(ExitCode::from(2));
        }
    }
    Templates::load(common.template.as_deref()).map_err(|d| {
        tell!("{}", d.render().trim_end());
        ExitCode::from(1)
    })
}

/// Most messages printed for one file: a file with thousands of the same slip
/// says so in a line instead of flooding the terminal (`--format json` has all).
const MAX_SHOWN: usize = 100;

fn print_diags(d: &Diagnostics) {
    for x in d.0.iter().take(MAX_SHOWN) {
        tell!("{}", x.render().trim_end());
    }
    if d.0.len() > MAX_SHOWN {
        tell!(
            "… и ещё сообщений: {} (все — в prikaz check --format json)",
            d.0.len() - MAX_SHOWN
        );
    }
}

fn check(files: &[PathBuf], output: &str, common: &Common) -> ExitCode {
    let json = match output {
        "text" => false,
        "json" => true,
        other => {
            tell!("ошибка: неизвестный вид вывода «{other}»; допустимы: text, json");
            return ExitCode::from(2);
        }
    };
    let templates = match load_templates(common) {
        Ok(t) => t,
        Err(c) => return c,
    };
    let limits = common.limits();
    let mut failed = false;
    let mut all = vec![];
    for f in files {
        let (diags, ok) = match prikaz::prepare(f, &templates, &limits, &Selection::All) {
            Ok(p) => (p.warnings, true),
            Err(d) => (d, false),
        };
        let errors = diags.errors() + if common.strict { diags.warnings() } else { 0 };
        failed |= !ok || errors > 0;
        if json {
            all.push(serde_json::json!({
                "file": f.display().to_string(),
                "ok": errors == 0,
                "errors": diags.errors(),
                "warnings": diags.warnings(),
                "diagnostics": diags.0,
            }));
        } else {
            print_diags(&diags);
            if errors == 0 {
                tell!(
                    "{}: ошибок нет{}",
                    f.display(),
                    warn_suffix(diags.warnings())
                );
            } else {
                let strict = if common.strict && diags.warnings() > 0 {
                    " (--strict: предупреждения считаются ошибками)"
                } else {
                    ""
                };
                tell!(
                    "{}: ошибок — {}{}{strict}",
                    f.display(),
                    diags.errors(),
                    warn_suffix(diags.warnings())
                );
            }
        }
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `check --explain [CODE]`: what a lint checks or an error means, and why.
fn explain_code(code: &str) -> ExitCode {
    if code.trim().is_empty() {
        say!(
            "Проверки — предупреждения (prikaz check --explain КОД — подробнее; --allow КОД — отключить):"
        );
        for i in prikaz::lint::codes() {
            say!("  {}  {}", i.code, i.name);
        }
        say!("\nОшибки (prikaz check --explain КОД — подробнее):");
        for i in prikaz::errors::CODES {
            say!("  {}  {}", i.code, i.name);
        }
        return ExitCode::SUCCESS;
    }
    let found = prikaz::lint::codes::info(code)
        .map(|i| (i.code, i.name, i.why, i.explain, "Почему это важно"))
        .or_else(|| {
            prikaz::errors::info(code).map(|i| {
                (
                    i.code,
                    i.name,
                    i.why,
                    i.explain,
                    "Почему prikaz останавливается",
                )
            })
        });
    match found {
        Some((code, name, why, explain, why_label)) => {
            say!("{code} — {name}\n\n{why_label}: {why}\n\n{explain}");
            ExitCode::SUCCESS
        }
        None => {
            tell!("ошибка: неизвестный код «{code}»; список: prikaz check --explain");
            ExitCode::from(2)
        }
    }
}

fn warn_suffix(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", предупреждений — {n}")
    }
}

fn parse_only(s: &str) -> Result<Selection, String> {
    let (what, key) = s.split_once(':').unwrap_or(("приложение", s));
    if !what.trim().to_lowercase().starts_with("приложени") || key.trim().is_empty() {
        return Err(format!(
            "«{s}»: пишите --only приложение:ID или --only приложение:НОМЕР"
        ));
    }
    Ok(Selection::Appendix(key.trim().to_string()))
}

/// What `render` and `watch` set up before the first act.
struct Session {
    opts: prikaz::render::Options,
    templates: Templates,
    limits: Limits,
    engine: Later<Engine>,
}

/// A value made on a thread of its own while this one goes on; [`Later::get`]
/// waits for it. Typst's library and the fonts take 2.4 ms to set up, which a
/// clerk's single act otherwise waits for before reading the YAML.
struct Later<T> {
    making: std::sync::Mutex<Option<std::thread::JoinHandle<T>>>,
    value: std::sync::OnceLock<T>,
    make: std::sync::Arc<dyn Fn() -> T + Send + Sync>,
}

impl<T: Send + 'static> Later<T> {
    fn start(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let make: std::sync::Arc<dyn Fn() -> T + Send + Sync> = std::sync::Arc::new(make);
        let on_thread = make.clone();
        Later {
            making: std::sync::Mutex::new(
                std::thread::Builder::new().spawn(move || on_thread()).ok(),
            ),
            value: std::sync::OnceLock::new(),
            make,
        }
    }

    fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let handle = self.making.lock().ok().and_then(|mut m| m.take());
            // Made here when the thread could not start; a panic there goes on here.
            match handle {
                Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                None => (self.make)(),
            }
        })
    }
}

impl Make {
    /// The writers' options, templates, limits and Typst engine; `Err` is the
    /// exit code of a bad option or template, already told.
    fn session(&self, common: &Common) -> Result<Session, ExitCode> {
        let formats = match Format::parse_list(&self.format) {
            Ok(f) => f,
            Err(m) => {
                tell!("ошибка: {m}");
                return Err(ExitCode::from(2));
            }
        };
        // 600 dpi is print quality; an A4 page is then 35 megapixels (140 MB while
        // it is drawn). More would take gigabytes for nothing a screen can show.
        if !(10.0..=600.0).contains(&self.dpi) {
            tell!("ошибка: разрешение --dpi должно быть от 10 до 600");
            return Err(ExitCode::from(2));
        }
        let templates = load_templates(common)?;
        let limits = common.limits();
        // One engine for the whole run: Typst's memoised layouts serve the
        // next act (and, in `watch`, the next edit).
        let page = templates.page.clone();
        let engine = Later::start(move || {
            let e = Engine::new(&page);
            prikaz::timings::mark("шрифты и библиотека Typst");
            e
        });
        output::clean_up_on_interrupt();
        Ok(Session {
            opts: prikaz::render::Options {
                formats,
                dpi: self.dpi,
                pdf: self.pdf.standard,
                keep_pages: false,
                parallel: true,
            },
            templates,
            limits,
            engine,
        })
    }
}

fn render(make: &Make, only: Option<&str>, no_clobber: bool, common: &Common) -> ExitCode {
    let selection = match only.map(parse_only).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(2);
        }
    };
    let Session {
        opts,
        templates,
        limits,
        engine,
    } = match make.session(common) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let files = &make.files;
    let tty = std::io::stderr().is_terminal();
    let mut failed = false;
    // Output file → the input it was made from, within this run.
    let mut made: HashMap<PathBuf, PathBuf> = HashMap::new();
    for f in files {
        if tty && files.len() > 1 {
            tell!("обработка {} …", f.display());
        }
        prikaz::render::forget_layouts(0);
        match render_one(
            f,
            make.out.as_deref(),
            &opts,
            &selection,
            no_clobber,
            &templates,
            &limits,
            &engine,
            common.strict,
            make.blank.on,
            &mut made,
        ) {
            Ok(written) => {
                for w in written {
                    match w {
                        Written::New(p) => tell!("записан: {}", p.display()),
                        Written::Replaced(p) => tell!("перезаписан: {}", p.display()),
                        Written::Kept(p) => {
                            tell!("оставлен без изменений (--no-clobber): {}", p.display())
                        }
                    }
                }
            }
            Err(d) => {
                failed = true;
                print_diags(&d);
                tell!("{}: файлы не созданы", f.display());
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `prikaz watch`: render every act, then each again when its files change.
fn watch(make: &Make, common: &Common) -> ExitCode {
    let Session {
        opts,
        templates,
        limits,
        engine,
    } = match make.session(common) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let files = &make.files;
    let mut first = true;
    let result = prikaz::watch::run(files, &limits, |due| {
        let mut made: HashMap<PathBuf, PathBuf> = HashMap::new();
        for &i in due {
            let f = &files[i];
            if !first {
                tell!("изменения в {}: формирую заново …", f.display());
            }
            // Keep the layouts of the acts watched, for the next edit.
            prikaz::render::forget_layouts(files.len().max(2));
            match render_one(
                f,
                make.out.as_deref(),
                &opts,
                &Selection::All,
                false,
                &templates,
                &limits,
                &engine,
                common.strict,
                make.blank.on,
                &mut made,
            ) {
                Ok(written) => {
                    for w in written {
                        match w {
                            Written::New(p) => tell!("записан: {}", p.display()),
                            Written::Replaced(p) => tell!("обновлён: {}", p.display()),
                            Written::Kept(p) => tell!("оставлен: {}", p.display()),
                        }
                    }
                }
                Err(d) => {
                    print_diags(&d);
                    tell!(
                        "{}: файлы не обновлены, прежние остаются; исправьте и сохраните файл",
                        f.display()
                    );
                }
            }
        }
        if first {
            tell!("слежу за изменениями (выход — Ctrl-C) …");
        }
        first = false;
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            tell!("ошибка: {m}");
            ExitCode::from(1)
        }
    }
}

/// `prikaz serve`: the local editor page for an act or a folder of acts.
fn serve(path: Option<&Path>, port: u16, no_open: bool, max_input: u64) -> ExitCode {
    let path = path.unwrap_or(Path::new("."));
    let (dir, start) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else if path.is_file() {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (dir, name)
    } else {
        tell!("ошибка: {}: файл или папка не найдены", path.display());
        return ExitCode::from(1);
    };
    let templates = Templates::builtin();
    let limits = Limits {
        max_input,
        ..Limits::default()
    };
    let server = match prikaz::serve::Server::bind(prikaz::serve::Config {
        dir,
        start,
        port,
        limits,
        templates,
    }) {
        Ok(s) => s,
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    tell!("редактор открыт по адресу {url} (выход — Ctrl-C)");
    if !no_open && !open_browser(&url) {
        tell!("браузер не открылся сам: откройте адрес {url} вручную");
    }
    output::clean_up_on_interrupt();
    server.run();
    ExitCode::SUCCESS
}

/// Open `url` in the default browser; false when no way to do it was found.
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reaped when it is done, so that it does not linger as a zombie.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn render_one(
    file: &Path,
    out: Option<&Path>,
    opts: &prikaz::render::Options,
    selection: &Selection,
    no_clobber: bool,
    templates: &Templates,
    limits: &Limits,
    engine: &Later<Engine>,
    strict: bool,
    // `--blank`: a decision about the document, made before rendering.
    blank: bool,
    made: &mut HashMap<PathBuf, PathBuf>,
) -> Result<Vec<Written>, Diagnostics> {
    // The writers run while the lints do (prepare_then); a strict run then
    // drops what they made.
    let (p, (stem, shortened, rendered)) =
        prikaz::prepare_then(file, templates, limits, selection, |p| {
            if blank {
                p.doc.print_on_blank();
            }
            let mut stem = p.doc.meta.file_stem.clone();
            let mut shortened = p.doc.meta.file_stem_shortened;
            if let Selection::Appendix(_) = selection
                && let Some(a) = p.doc.appendices.first()
            {
                let n = a.number.clone().unwrap_or_else(|| a.id.clone());
                let (part, cut) =
                    prikaz::resolve::safe_file_part(&n, prikaz::resolve::MAX_NAME_PART);
                shortened |= cut;
                stem = format!("{stem}_приложение_{part}");
            }
            let rendered =
                prikaz::render::render(engine.get(), &p.doc, p.emblem.as_ref(), &stem, opts);
            (stem, shortened, rendered)
        })?;
    if strict && p.warnings.warnings() > 0 {
        let mut d = p.warnings;
        for x in &mut d.0 {
            x.severity = prikaz::diag::Severity::Error;
        }
        return Err(d);
    }
    print_diags(&p.warnings);
    let one = |d: Diagnostic| Diagnostics(vec![d.in_file(file.display().to_string())]);
    if shortened {
        tell!(
            "{}: номер слишком длинный для имени файла, имя сокращено: {stem}",
            file.display()
        );
    }
    let files = rendered.map_err(one)?.files;
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    };
    // Two acts of one run that map to the same file name must not overwrite
    // each other silently.
    for (name, _) in &files {
        let target = dir.join(name);
        if let Some(earlier) = made.get(&target) {
            return Err(one(Diagnostic::error(
                "E031",
                format!(
                    "файл {} уже создан в этом запуске из {}: у двух актов одинаковые вид, номер и дата",
                    target.display(),
                    earlier.display()
                ),
            )
            .hint("исправьте номер или дату одного из актов, или формируйте их в разные папки (-o)")));
        }
    }
    let written = output::write_all(&dir, &files, no_clobber).map_err(one)?;
    prikaz::timings::mark("запись файлов");
    for (name, _) in &files {
        made.insert(dir.join(name), file.to_path_buf());
    }
    Ok(written)
}

fn schema(which: &str, out: Option<&Path>) -> ExitCode {
    use prikaz::read::schema;
    let value = match which.trim().to_lowercase().as_str() {
        "акт" | "act" => schema::act(),
        "профиль" | "profile" => schema::profile(),
        other => {
            tell!("ошибка: нет схемы «{other}»: бывают схемы «акт» и «профиль»");
            return ExitCode::from(2);
        }
    };
    let mut text = serde_json::to_string_pretty(&value).expect("a schema is JSON");
    text.push('\n');
    match out {
        None => {
            say!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Some(path) => match prikaz::output::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                tell!("схема записана: {}", path.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diags(&Diagnostics(vec![d]));
                ExitCode::from(1)
            }
        },
    }
}

fn new_starter(kind: &str, with: &[String], profile: Option<&str>) -> ExitCode {
    use prikaz::starter::{ProfileUse, profile_fields, starter};
    // The profile is read from where the act will be: this folder.
    let read = match profile {
        Some(p) => match profile_fields(Path::new(p)) {
            Ok(f) => Some((p, f)),
            Err(m) => {
                tell!("ошибка: {m}");
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let profile = read.as_ref().map(|(p, (fields, signatories))| ProfileUse {
        path: p,
        fields,
        signatories,
    });
    match starter(kind, with, profile) {
        Ok(text) => {
            say!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(m) => {
            tell!("ошибка: {m}");
            ExitCode::from(2)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn batch(
    base: &Path,
    variants: &Path,
    out: Option<PathBuf>,
    format: &str,
    merge: bool,
    json: bool,
    jobs: Option<usize>,
    no_clobber: bool,
    pdf: prikaz::render::PdfStandard,
    blank: bool,
    common: &Common,
) -> ExitCode {
    use prikaz::batch;
    let formats = match Format::parse_list(format) {
        Ok(f) if !f.contains(&Format::Png) => f,
        Ok(_) => {
            tell!("ошибка: в пакетном режиме доступны форматы pdf и docx");
            return ExitCode::from(2);
        }
        Err(m) => {
            tell!("ошибка: {m}");
            return ExitCode::from(2);
        }
    };
    let templates = match load_templates(common) {
        Ok(t) => t,
        Err(c) => return c,
    };
    output::clean_up_on_interrupt();
    let limits = common.limits();
    let list = match batch::read_variants(variants, &limits) {
        Ok(v) => v,
        Err(d) => {
            print_diags(&d);
            return ExitCode::from(1);
        }
    };
    let out = out.unwrap_or_else(|| {
        base.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("out")
    });
    let opts = batch::Options {
        out,
        formats,
        pdf,
        no_clobber,
        merge,
        blank,
        threads: jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }),
        // Copies of this very program, given the same arguments.
        workers: match std::env::current_exe() {
            Ok(exe) => batch::Workers::Processes {
                exe,
                args: std::env::args_os().skip(1).collect(),
            },
            Err(_) => batch::Workers::Threads,
        },
    };
    let engine = Engine::new(&templates.page);
    if std::env::var_os(batch::WORKER_ENV).is_some() {
        return match batch::serve(base, &list, &opts, &templates, &engine, &limits) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                print_diags(&d);
                ExitCode::from(1)
            }
        };
    }
    let bar = if std::io::stderr().is_terminal() && !json {
        indicatif::ProgressBar::new(list.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} вариантов, осталось {eta} {msg}",
    ) {
        bar.set_style(style);
    }
    let progress = |o: &batch::Outcome| {
        bar.set_message(o.name.clone());
        bar.inc(1);
    };
    let summary = match batch::run(base, &list, &opts, &templates, &engine, &limits, &progress) {
        Ok(s) => s,
        Err(d) => {
            bar.finish_and_clear();
            print_diags(&d);
            return ExitCode::from(1);
        }
    };
    bar.finish_and_clear();
    if json {
        match serde_json::to_string_pretty(&summary) {
            Ok(s) => say!("{s}"),
            Err(e) => tell!("ошибка: {e}"),
        }
    } else {
        for o in &summary.variants {
            for w in o.warnings.iter().chain(&o.errors) {
                tell!("{}", w.text);
            }
        }
        tell!(
            "{:>4}  {:<32} {:>6} {:>6} {:>5}  итог",
            "№",
            "вариант",
            "файлов",
            "стр.",
            "пред."
        );
        for o in &summary.variants {
            let status = if o.ok() {
                "готово".to_string()
            } else {
                format!("ОШИБКА ({})", o.errors.len())
            };
            let name: String = o.name.chars().take(32).collect();
            tell!(
                "{:>4}  {:<32} {:>6} {:>6} {:>5}  {status}",
                o.index,
                name,
                o.files.len(),
                o.pages,
                o.warnings.len()
            );
        }
        if let Some(m) = &summary.merged {
            tell!("общий PDF: {m}");
        }
        tell!(
            "вариантов: {}, успешно: {}, с ошибками: {}, записано файлов: {} в {}",
            summary.variants.len(),
            summary.variants.len() - summary.failed,
            summary.failed,
            summary.written,
            opts.out.display()
        );
    }
    if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The man page, from the same definitions as `--help`: the program, then
/// each command with its own options (as `prikaz-check(1)` …), one after the
/// other. clap_mangen titles its sections in English; they are renamed as
/// Russian man pages name them.
fn manual() -> ExitCode {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Global options (the Russian -h) reach each command.
    cmd.build();
    let mut page = Vec::new();
    let mut write = |c: clap::Command| clap_mangen::Man::new(c).render(&mut page);
    let mut ok = write(cmd.clone()).is_ok();
    for sub in cmd.get_subcommands() {
        let name = format!("prikaz-{}", sub.get_name());
        ok &= write(sub.clone().name(name)).is_ok();
    }
    if !ok {
        tell!("ошибка: не удалось составить страницу man");
        return ExitCode::from(1);
    }
    let mut text = String::from_utf8_lossy(&page).into_owned();
    for (en, ru) in [
        (".SH NAME", ".SH ИМЯ"),
        (".SH SYNOPSIS", ".SH СИНТАКСИС"),
        (".SH DESCRIPTION", ".SH ОПИСАНИЕ"),
        (".SH OPTIONS", ".SH \"ОБЩИЕ ПАРАМЕТРЫ\""),
        (".SH EXTRA", ".SH ПРИМЕЧАНИЯ"),
        (".SH VERSION", ".SH ВЕРСИЯ"),
        (".SH Команды", ".SH КОМАНДЫ"),
    ] {
        text = text.replace(&format!("{en}\n"), &format!("{ru}\n"));
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    ExitCode::SUCCESS
}
