//! Argument groups that several commands share, flattened into each, and the
//! parsers of the values a clerk writes (sizes, `--only`).

use clap::Args;
use prikaz::budget::Budget;
use prikaz::read::Limits;
use prikaz::resolve::Selection;
use prikaz::templates::Templates;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `render` and `watch` make of which acts.
#[derive(Args)]
pub struct Make {
    /// YAML-файлы актов
    #[arg(value_name = "ФАЙЛ", required = true, help_heading = "Аргументы")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    /// Разрешение PNG-превью, точек на дюйм (по умолчанию 100)
    #[arg(
        long,
        value_name = "DPI",
        default_value_t = prikaz::job::DEFAULT_DPI,
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    pub dpi: f32,
}

/// Where the files go, in which formats, and how they are printed: the same
/// for `render`, `watch` and `batch`.
#[derive(Args)]
pub struct Output {
    /// Папка для результатов (по умолчанию — папка YAML-файла; в batch — папка out рядом с основой)
    #[arg(
        short = 'o',
        long = "out",
        value_name = "ПАПКА",
        help_heading = "Параметры"
    )]
    pub out: Option<PathBuf>,
    /// Форматы через запятую: pdf, docx, png (по умолчанию pdf; png — кроме batch)
    #[arg(
        long,
        value_name = "ФОРМАТЫ",
        default_value = "pdf",
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    pub format: String,
    #[command(flatten)]
    pub blank: BlankArg,
    #[command(flatten)]
    pub pdf: PdfArg,
    #[command(flatten)]
    pub sign: SignFieldArg,
}

#[derive(Args)]
pub struct SignFieldArg {
    /// Пустое поле для электронной подписи в PDF между должностью и расшифровкой подписи (и по полю на каждую визу) — в него подписывают КриптоПро PDF и другие программы; в DOCX — строка подписи Word (то же — «оформление: {поле_подписи: да}»)
    #[arg(long = "signature-field", help_heading = "Параметры")]
    pub signature_field: bool,
}

#[derive(Args)]
pub struct BlankArg {
    /// Печать на готовом бланке организации: герб, наименование органа и вид документа не печатаются, их место остаётся пустым (то же — «оформление: {бланк: да}»)
    #[arg(long = "blank", help_heading = "Параметры")]
    pub on: bool,
}

#[derive(Args)]
pub struct PdfArg {
    /// Стандарт PDF: a-2b — архивный PDF/A-2b (по умолчанию), ua — PDF/A-2a и PDF/UA-1 (с разметкой для чтения с экрана), обычный — простой PDF
    #[arg(
        long = "pdf-standard",
        value_name = "СТАНДАРТ",
        value_parser = prikaz::render::PdfStandard::parse,
        default_value = "a-2b",
        hide_default_value = true,
        help_heading = "Параметры"
    )]
    pub standard: prikaz::render::PdfStandard,
}

#[derive(Args)]
pub struct Common {
    /// Папка со своими шаблонами (act.typ, wording/*.j2)
    #[arg(long, value_name = "ПАПКА", help_heading = "Параметры")]
    pub template: Option<PathBuf>,
    /// Сколько секунд своему шаблону act.typ можно верстать один документ (по умолчанию 120)
    #[arg(long, value_name = "СЕКУНДЫ", default_value_t = Budget::default().seconds, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..), help_heading = "Параметры")]
    pub template_time: u64,
    /// Сколько памяти программе можно занять со своим шаблоном act.typ: 4ГБ, 800МБ (по умолчанию 4 ГБ)
    #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Budget::default().bytes, hide_default_value = true, help_heading = "Параметры")]
    pub template_memory: u64,
    /// Наибольший размер YAML-файла: 4МБ, 500КБ или число байт (по умолчанию 4 МБ)
    #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Limits::default().max_input, hide_default_value = true, help_heading = "Параметры")]
    pub max_input: u64,
    /// Наибольшее число строк в одной таблице (по умолчанию 10 000)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_rows, hide_default_value = true, help_heading = "Параметры")]
    pub max_rows: usize,
    /// Наибольший размер изображения (герба): 10МБ, 800КБ или число байт (по умолчанию 10 МБ)
    #[arg(long, value_name = "РАЗМЕР", value_parser = parse_size, default_value_t = Limits::default().max_image_bytes, hide_default_value = true, help_heading = "Параметры")]
    pub max_image: u64,
    /// Папка, внутри которой разрешено брать файлы (гербы, CSV); по умолчанию — папка YAML-файла акта, в batch — папка файла-основы
    #[arg(long, value_name = "ПАПКА", help_heading = "Параметры")]
    pub root: Option<PathBuf>,
    /// Отключить проверки с этими кодами (через запятую: P101,P601)
    #[arg(
        long,
        value_name = "КОДЫ",
        value_delimiter = ',',
        help_heading = "Проверки"
    )]
    pub allow: Vec<String>,
    /// Считать предупреждения ошибками: при них файлы не создаются, код выхода 1
    #[arg(long, help_heading = "Проверки")]
    pub strict: bool,
}

impl Common {
    /// The templates of the run (`--template`, else the built-in ones), after
    /// the `--allow` codes are checked; `Err` is the exit code, already told.
    pub fn templates(&self) -> Result<Templates, ExitCode> {
        for code in &self.allow {
            if prikaz::lint::codes::info(code).is_none() {
                tell!("ошибка: неизвестный код проверки «{code}»; список: prikaz check --explain");
                return Err(ExitCode::from(2));
            }
        }
        let templates = Templates::load(self.template.as_deref()).map_err(|d| {
            tell!("{}", d.render().trim_end());
            ExitCode::from(1)
        })?;
        if templates.users_page {
            prikaz::budget::install(Budget {
                seconds: self.template_time,
                bytes: self.template_memory,
            });
        }
        Ok(templates)
    }

    pub fn limits(&self) -> Limits {
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

/// A size as a clerk writes it: «4МБ», «4 МБ», «500КБ», «1,5 МБ», «4MB» or a
/// number of bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
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

pub fn parse_only(s: &str) -> Result<Selection, String> {
    let (what, key) = s.split_once(':').unwrap_or(("приложение", s));
    if !what.trim().to_lowercase().starts_with("приложени") || key.trim().is_empty() {
        return Err(format!(
            "«{s}»: пишите --only приложение:ID или --only приложение:НОМЕР"
        ));
    }
    Ok(Selection::Appendix(key.trim().to_string()))
}
