//! The HTTP/1.1 server under `prikaz serve`: std's sockets, and httparse to
//! read the head of a request. Nothing a request sends can make it allocate
//! more than the limits below, hold a thread longer than the deadlines below,
//! or keep the page's own requests from being answered:
//!
//! - the head is read into a buffer of [`MAX_HEAD`] bytes with at most
//!   [`MAX_HEADERS`] headers, within [`HEAD_DEADLINE`];
//! - the body's declared length is checked against the limit before a byte of
//!   it is read, and the body is read within [`BODY_DEADLINE`];
//! - each connection has a thread of its own that only reads and writes the
//!   socket, at most [`MAX_CONNECTIONS`] at once: one more closes the
//!   connection that has waited longest for its request to arrive (the
//!   page's own requests arrive at once; a flood of silent or slow
//!   connections only pushes out its own oldest), and is refused with 503
//!   only when every connection is being answered; the work of a request
//!   (rendering) is done by a small pool of workers that never wait on a
//!   socket, so a slow client holds its own connection thread and nothing
//!   else;
//! - one request per connection (`Connection: close`): no idle connection is
//!   kept, and the browser opens a new one on loopback for each request.
//!
//! Messages are Russian; they quote nothing of the request.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Largest head of a request (request line and headers), bytes.
pub const MAX_HEAD: usize = 64 * 1024;
/// Most headers in a request.
pub const MAX_HEADERS: usize = 100;
/// Time for the whole head of a request to arrive, from the connection.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Time for the whole body to arrive, from the end of the head.
pub const BODY_DEADLINE: Duration = Duration::from_secs(30);
/// Time for the client to take the whole answer.
pub const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// Connections served at once; one more is refused with 503.
pub const MAX_CONNECTIONS: usize = 256;
/// Stack of a connection thread: it only reads, parses and writes.
const CONNECTION_STACK: usize = 256 * 1024;
/// After refusing a request whose body was not read: how long the rest of
/// what the client sends is read and dropped before the connection is closed
/// (closing with unread data would reset it, and the client could lose the
/// answer).
const LINGER: Duration = Duration::from_secs(2);

/// A request, read whole.
pub struct Request {
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of the first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A refusal of the server itself, `{"error": …}` in Russian.
    pub fn error(status: u16, message: &str) -> Response {
        Response {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default(),
        }
    }
}

/// What handles a request (on a worker thread).
pub type Handler = Arc<dyn Fn(Request) -> Response + Send + Sync>;

/// How the server is set up.
pub struct Setup {
    /// Largest body, bytes (`--max-input`).
    pub max_body: u64,
    /// Worker threads that run the handler.
    pub workers: usize,
    /// Their stack size (rendering recurses deeply).
    pub worker_stack: usize,
}

type Job = (Request, mpsc::Sender<Response>);

/// Answer connections on `listener` with `handler` until the process ends.
pub fn run(listener: TcpListener, setup: Setup, handler: Handler) {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..setup.workers.max(1) {
        let queue = queue.clone();
        let handler = handler.clone();
        let _ = std::thread::Builder::new()
            .name("serve-worker".into())
            .stack_size(setup.worker_stack)
            .spawn(move || {
                loop {
                    let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((req, reply)) = job else { return };
                    let handler = &handler;
                    let answer =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(req)))
                            .unwrap_or_else(|_| {
                                Response::error(500, "внутренняя ошибка программы")
                            });
                    let _ = reply.send(answer);
                }
            });
    }
    let table = Arc::new(Mutex::new(Table::default()));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            // Out of descriptors, or a connection reset before it was taken:
            // wait a little rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let Some(guard) = Live::admit(&table, &stream) else {
            busy(stream);
            continue;
        };
        let jobs = jobs.clone();
        let max_body = setup.max_body;
        let spawned = std::thread::Builder::new()
            .name("serve-connection".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                connection(stream, max_body, &jobs, &guard);
            });
        // A thread that could not be made drops its guard with the closure.
        drop(spawned);
    }
}

/// The open connections.
#[derive(Default)]
struct Table {
    next: u64,
    open: Vec<Open>,
}

/// One open connection: since when, whether its request is still being
/// read, and a handle to close it with.
struct Open {
    id: u64,
    since: Instant,
    reading: bool,
    stream: TcpStream,
}

/// A connection in the [`Table`] while it exists.
struct Live {
    table: Arc<Mutex<Table>>,
    id: u64,
}

impl Live {
    /// Enter `stream`; at the limit, first close the connection that has
    /// waited longest for its request (its thread sees the close and ends).
    /// `None`: every connection is being answered, or the socket failed.
    fn admit(table: &Arc<Mutex<Table>>, stream: &TcpStream) -> Option<Live> {
        let mut t = table.lock().unwrap_or_else(|e| e.into_inner());
        if t.open.len() >= MAX_CONNECTIONS {
            let oldest = t
                .open
                .iter()
                .enumerate()
                .filter(|(_, o)| o.reading)
                .min_by_key(|(_, o)| o.since)
                .map(|(i, _)| i)?;
            let o = t.open.swap_remove(oldest);
            let _ = o.stream.shutdown(Shutdown::Both);
        }
        let id = t.next;
        t.next += 1;
        t.open.push(Open {
            id,
            since: Instant::now(),
            reading: true,
            stream: stream.try_clone().ok()?,
        });
        Some(Live {
            table: table.clone(),
            id,
        })
    }

    /// The request is read (or refused): the connection is no longer one to
    /// close for a new one.
    fn read(&self) {
        let mut t = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = t.open.iter_mut().find(|o| o.id == self.id) {
            o.reading = false;
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let mut t = self.table.lock().unwrap_or_else(|e| e.into_inner());
        t.open.retain(|o| o.id != self.id);
    }
}

/// Refuse a connection over the limit without waiting on it.
fn busy(mut s: TcpStream) {
    let _ = s.set_nonblocking(true);
    let r = Response::error(
        503,
        "сервер занят: слишком много соединений сразу, повторите запрос",
    );
    let _ = s.write_all(&head_of(&r));
    let _ = s.write_all(&r.body);
    let _ = s.shutdown(Shutdown::Write);
}

/// Why a request is not handed to the handler.
enum Refused {
    /// Answer this, then close. `read_all`: the client has sent nothing
    /// more than what was read.
    Answer(Response, bool),
    /// The client went away, or sent nothing: close without an answer.
    Gone,
}

fn connection(mut s: TcpStream, max_body: u64, jobs: &mpsc::Sender<Job>, live: &Live) {
    let _ = s.set_nodelay(true);
    let request = read_request(&mut s, max_body);
    live.read();
    let (answer, read_all) = match request {
        Ok(req) => {
            let (tx, rx) = mpsc::channel();
            if jobs.send((req, tx)).is_err() {
                return;
            }
            match rx.recv() {
                Ok(a) => (a, true),
                Err(_) => (Response::error(500, "внутренняя ошибка программы"), true),
            }
        }
        Err(Refused::Answer(a, read_all)) => (a, read_all),
        Err(Refused::Gone) => return,
    };
    let deadline = Instant::now() + WRITE_DEADLINE;
    if write_by(&mut s, &head_of(&answer), deadline).is_ok() {
        let _ = write_by(&mut s, &answer.body, deadline);
    }
    let _ = s.shutdown(Shutdown::Write);
    if !read_all {
        linger(&mut s);
    }
}

/// Read and drop what the client still sends, for at most [`LINGER`].
fn linger(s: &mut TcpStream) {
    let until = Instant::now() + LINGER;
    let mut sink = [0u8; 16 * 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || s.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match s.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Write all of `bytes` before `deadline`.
fn write_by(s: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        s.set_write_timeout(Some(left))?;
        match s.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One read into `buf` before `deadline`: `Ok(0)` when the client closed,
/// `Err(true)` when the time is up, `Err(false)` when the connection failed.
fn read_by(s: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> Result<usize, bool> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(true);
        }
        if s.set_read_timeout(Some(left)).is_err() {
            return Err(false);
        }
        match s.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(true);
            }
            Err(_) => return Err(false),
        }
    }
}

fn refuse(status: u16, message: &str) -> Refused {
    Refused::Answer(Response::error(status, message), false)
}

/// Read one request: its head within the limits, then its body after its
/// length is checked.
fn read_request(s: &mut TcpStream, max_body: u64) -> Result<Request, Refused> {
    let late_head = || {
        refuse(
            408,
            &format!(
                "запрос не пришёл целиком за {} с: соединение закрыто",
                HEAD_DEADLINE.as_secs()
            ),
        )
    };
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut buf = vec![0u8; MAX_HEAD];
    let mut len = 0;
    loop {
        if len == MAX_HEAD {
            return Err(refuse(
                431,
                &format!(
                    "слишком длинные заголовки запроса: больше {} КБ",
                    MAX_HEAD / 1024
                ),
            ));
        }
        let n = match read_by(s, &mut buf[len..], deadline) {
            Ok(0) | Err(false) => return Err(Refused::Gone),
            Ok(n) => n,
            Err(true) if len == 0 => return Err(Refused::Gone),
            Err(true) => return Err(late_head()),
        };
        // Parse only once the blank line that ends the head has come, so a
        // head sent a byte at a time is not parsed again for every byte.
        let from = len.saturating_sub(3);
        len += n;
        let window = &buf[from..len];
        let ended =
            window.windows(2).any(|w| w == b"\n\n") || window.windows(3).any(|w| w == b"\n\r\n");
        if !ended {
            continue;
        }
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(&buf[..len]) {
            Ok(httparse::Status::Complete(head_len)) => {
                let req = Request {
                    method: parsed.method.unwrap_or_default().to_string(),
                    target: parsed.path.unwrap_or_default().to_string(),
                    headers: parsed
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_string(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect(),
                    body: vec![],
                };
                let early = buf[head_len..len].to_vec();
                drop(buf);
                return read_body(s, req, early, max_body);
            }
            Ok(httparse::Status::Partial) => continue,
            Err(httparse::Error::TooManyHeaders) => {
                return Err(refuse(
                    431,
                    &format!("слишком много заголовков в запросе: больше {MAX_HEADERS}"),
                ));
            }
            Err(_) => return Err(refuse(400, "запрос не по правилам HTTP")),
        }
    }
}

/// The body of `req`, of the length it declares (at most `max_body`; no
/// length: none). `early` is what came with the head.
fn read_body(
    s: &mut TcpStream,
    mut req: Request,
    early: Vec<u8>,
    max_body: u64,
) -> Result<Request, Refused> {
    if req.header("Transfer-Encoding").is_some() {
        return Err(refuse(
            411,
            "тело запроса по частям (Transfer-Encoding) не принимается: нужен заголовок Content-Length",
        ));
    }
    let mut length: Option<u64> = None;
    for (k, v) in &req.headers {
        if !k.eq_ignore_ascii_case("Content-Length") {
            continue;
        }
        let v = v.trim();
        let n = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            // Digits only: too many of them is simply too big.
            v.parse::<u64>().unwrap_or(u64::MAX)
        } else {
            return Err(refuse(400, "неверный заголовок Content-Length"));
        };
        if length.is_some_and(|l| l != n) {
            return Err(refuse(400, "неверный заголовок Content-Length"));
        }
        length = Some(n);
    }
    let length = length.unwrap_or(0);
    if length > max_body {
        return Err(refuse(
            413,
            &format!(
                "слишком большой запрос: больше {} КБ (флаг --max-input)",
                max_body / 1024
            ),
        ));
    }
    if length > 0
        && req
            .header("Expect")
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("100-continue"))
    {
        let _ = write_by(
            s,
            b"HTTP/1.1 100 Continue\r\n\r\n",
            Instant::now() + WRITE_DEADLINE,
        );
    }
    let length = length as usize;
    let mut body = early;
    body.truncate(length);
    body.reserve_exact(length - body.len());
    let deadline = Instant::now() + BODY_DEADLINE;
    let mut chunk = [0u8; 16 * 1024];
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        match read_by(s, &mut chunk[..want], deadline) {
            Ok(0) | Err(false) => return Err(Refused::Gone),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(true) => {
                return Err(refuse(
                    408,
                    &format!(
                        "тело запроса не пришло целиком за {} с: соединение закрыто",
                        BODY_DEADLINE.as_secs()
                    ),
                ));
            }
        }
    }
    req.body = body;
    Ok(req)
}

/// The status line and headers of `r`, with its length and `Connection: close`.
fn head_of(r: &Response) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (k, v) in &r.headers {
        // A header is never split by what a value holds.
        if k.bytes().chain(v.bytes()).any(|b| b == b'\r' || b == b'\n') {
            continue;
        }
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    h.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_carry_length_and_close_and_no_split_headers() {
        let r = Response {
            status: 200,
            headers: vec![
                ("X-A".into(), "1".into()),
                ("X-B".into(), "a\r\nSet-Cookie: x".into()),
            ],
            body: b"abc".to_vec(),
        };
        let h = String::from_utf8(head_of(&r)).unwrap();
        assert!(h.starts_with("HTTP/1.1 200 OK\r\n"), "{h}");
        assert!(h.contains("X-A: 1\r\n"));
        assert!(!h.contains("Set-Cookie"));
        assert!(h.ends_with("Content-Length: 3\r\nConnection: close\r\n\r\n"));
    }
}
