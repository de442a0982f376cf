//! A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with
//! the same 200 response: it reads the head, skips `Content-Length` bytes
//! of body and writes a precomputed response, keeping the connection
//! alive. It runs on its own thread with a single-threaded runtime so
//! that it costs as little as possible next to the client.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub fn start(body: &'static str) -> SocketAddr {
    let response: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
            body.len(),
            body
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let addr = std_listener.local_addr().expect("local addr");
    std::thread::Builder::new()
        .name("server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, response));
                }
            });
        })
        .expect("server thread");
    addr
}

async fn connection(mut stream: TcpStream, response: &'static [u8]) {
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        // Answer every complete request in the buffer.
        while let Some((head_len, body_len)) = parse_head(&buf) {
            if buf.len() < head_len + body_len {
                break;
            }
            buf.drain(..head_len + body_len);
            if stream.write_all(response).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The length of the request head (through the blank line) and the
/// declared body length, once the whole head is in `buf`.
fn parse_head(buf: &[u8]) -> Option<(usize, usize)> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let mut body = 0;
    for line in buf[..end].split(|&b| b == b'\n') {
        if line.len() > 15 && line[..15].eq_ignore_ascii_case(b"content-length:") {
            body = std::str::from_utf8(&line[15..])
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0);
        }
    }
    Some((end, body))
}
