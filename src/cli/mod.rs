//! The command line: the commands and their options (clap, in Russian), and
//! one function per command, each in its own file. `main.rs` only calls [`run`].
//!
//! Exit codes: 0 — success; 1 — invalid input or a failed output; 2 — wrong
//! command-line usage.

#[macro_use]
mod print;
mod args;
mod batch;
mod check;
mod make;
mod other;
mod serve;

use args::{Common, Make, Output, parse_size};
use clap::{CommandFactory, Parser, Subcommand};
use prikaz::read::Limits;
use std::path::PathBuf;
use std::process::ExitCode;

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
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help = "Показать эту справку", global = true, help_heading = "Общие параметры")]
    _help: Option<bool>,
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help = "Показать версию", help_heading = "Общие параметры")]
    _version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Проверить файлы актов (и профилей), ничего не создавая
    #[command(help_template = HELP_TEMPLATE, override_usage = "prikaz check [ПАРАМЕТРЫ] <ФАЙЛ>...")]
    Check {
        /// YAML-файлы актов или профилей организаций
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
        override_usage = "prikaz serve [ФАЙЛ|ПАПКА] [--root ПАПКА] [--port N] [--no-open]",
        after_help = "Страница открывается только на этом компьютере (http://127.0.0.1:ПОРТ/) и работает без интернета.\nОна читает и сохраняет файлы только внутри открытой папки; профили и таблицы акты берут тоже из неё\n(акт в папке 2026/ называет профиль так: «профиль: ../профили/уо.yaml»). Выход — Ctrl-C."
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
        /// Общая папка актов: страница открывает и сохраняет файлы в ней и её подпапках, акты берут из неё профили и таблицы (по умолчанию — открытая папка; для ФАЙЛА — его папка)
        #[arg(long, value_name = "ПАПКА", help_heading = "Параметры")]
        root: Option<PathBuf>,
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
        #[command(flatten)]
        output: Output,
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
        /// Наибольшее число вариантов в пакете (по умолчанию 10 000)
        #[arg(long, value_name = "N", default_value_t = prikaz::read::Limits::default().max_variants, hide_default_value = true, help_heading = "Параметры")]
        max_variants: usize,
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
    /// Напечатать образец YAML-файла для нового акта или профиля организации
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "prikaz new [ВИД] [--with план|положение|список|график|состав] [--profile ПРОФИЛЬ] [-o ФАЙЛ]\n       prikaz new профиль [--организация СТРОКА]… [--в-родительном …] [--должность СТРОКА]… [--руководитель «И.О. Фамилия»] [--исполнитель …] [--телефон …] [-o профили/ИМЯ.yaml]",
        after_help = "Примеры:\n  prikaz new распоряжение --with положение --profile профили/уо.yaml -o распоряжение.yaml\n  prikaz new положение -o положение.yaml\n  prikaz new профиль --организация \"Администрация города\" --организация \"Управление образования\" --в-родительном \"управления образования администрации города\" --должность Начальник --должность \"управления образования\" --руководитель \"А.Б. Васильева\" --исполнитель \"Петрова Анна Сергеевна\" --телефон \"8 (800) 000-00-00\" -o профили/уо.yaml\n\nprikaz new профиль без параметров даёт профиль с примерами значений: замените их своими.\nАкт называет профиль полем «профиль: профили/уо.yaml» (акт в папке года — «профиль: ../профили/уо.yaml»)."
    )]
    New {
        /// Вид акта: приказ, распоряжение, постановление (по умолчанию приказ) или положение, которое утверждается грифом «УТВЕРЖДАЮ»; «профиль» — профиль организации
        #[arg(
            value_name = "ВИД",
            default_value = "приказ",
            hide_default_value = true,
            help_heading = "Аргументы"
        )]
        kind: String,
        /// Добавить приложения: план, положение, список, график, состав (через запятую или повторяя параметр); каждое — с пунктом, который его утверждает
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
        /// Записать образец в этот файл (существующий файл не перезаписывается); без параметра образец печатается на экран
        #[arg(
            short = 'o',
            long = "output",
            value_name = "ФАЙЛ",
            help_heading = "Параметры"
        )]
        output: Option<PathBuf>,
        #[command(flatten)]
        organisation: ProfileFlags,
    },
}

/// The values of `prikaz new профиль`; each replaces its sample value.
#[derive(clap::Args)]
#[command(next_help_heading = "Профиль (prikaz new профиль)")]
struct ProfileFlags {
    /// Профиль: строка наименования организации на бланке (вышестоящий орган — первым; параметр повторяется для каждой строки)
    #[arg(long = "организация", value_name = "СТРОКА")]
    organisation: Vec<String>,
    /// Профиль: наименование в родительном падеже, для отметок «к приказу управления …»
    #[arg(long = "в-родительном", value_name = "ТЕКСТ")]
    genitive: Option<String>,
    /// Профиль: строка должности руководителя (параметр повторяется для каждой строки)
    #[arg(long = "должность", value_name = "СТРОКА")]
    position: Vec<String>,
    /// Профиль: руководитель, «И.О. Фамилия»
    #[arg(long = "руководитель", value_name = "ИМЯ")]
    head: Option<String>,
    /// Профиль: исполнитель (фамилия, имя, отчество)
    #[arg(long = "исполнитель", value_name = "ИМЯ")]
    executor: Option<String>,
    /// Профиль: телефон исполнителя
    #[arg(long = "телефон", value_name = "ТЕЛЕФОН")]
    phone: Option<String>,
}

/// Parse the command line and run the command.
pub fn run() -> ExitCode {
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
            Some(code) => check::explain_code(&code),
            None => check::check(&files, &output, &common),
        },
        Command::Render {
            make,
            only,
            no_clobber,
            common,
        } => make::render(&make, only.as_deref(), no_clobber, &common),
        Command::Watch { make, common } => make::watch(&make, &common),
        Command::Serve {
            path,
            port,
            no_open,
            root,
            max_input,
        } => serve::serve(path.as_deref(), root.as_deref(), port, no_open, max_input),
        Command::New {
            kind,
            with,
            profile,
            output,
            organisation: o,
        } => {
            if matches!(kind.trim().to_lowercase().as_str(), "профиль" | "profile") {
                let mut v = prikaz::starter::ProfileValues::sample();
                if !o.organisation.is_empty() {
                    v.organisation = o.organisation;
                }
                if !o.position.is_empty() {
                    v.position = o.position;
                }
                for (field, given) in [
                    (&mut v.genitive, o.genitive),
                    (&mut v.head, o.head),
                    (&mut v.executor, o.executor),
                    (&mut v.phone, o.phone),
                ] {
                    if let Some(g) = given {
                        *field = g;
                    }
                }
                other::new_profile(v, &with, profile.is_some(), output.as_deref())
            } else if o.organisation.is_empty()
                && o.position.is_empty()
                && [&o.genitive, &o.head, &o.executor, &o.phone]
                    .iter()
                    .all(|x| x.is_none())
            {
                other::new_starter(&kind, &with, profile.as_deref(), output.as_deref())
            } else {
                tell!(
                    "ошибка: параметры --организация, --в-родительном, --должность, --руководитель, --исполнитель и --телефон — для профиля: prikaz new профиль …"
                );
                ExitCode::from(2)
            }
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "prikaz", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => other::manual(),
        Command::Schema { which, out } => other::schema(&which, out.as_deref()),
        Command::Batch {
            base,
            variants,
            output,
            merge,
            json,
            jobs,
            no_clobber,
            max_variants,
            common,
        } => batch::batch(
            &base,
            &variants,
            &output,
            batch::Flags {
                merge,
                json,
                jobs,
                no_clobber,
                max_variants,
            },
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
