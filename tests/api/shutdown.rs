//! Graceful shutdown answers what it accepted (issue 8, item 5): requests sent on
//! kept-alive connections just before SIGTERM all get their response, and the server
//! then exits cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::helpers::ADMIN_PASSWORD;

const CONNECTIONS: usize = 64;

/// Reads one HTTP/1.1 response (headers and a Content-Length body); its status code.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<(u16, String), String> {
    let mut status_line = String::new();
    let read = reader
        .read_line(&mut status_line)
        .map_err(|e| e.to_string())?;
    if read == 0 {
        return Err("connection closed without a response".into());
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(|_| "bad length".to_string())?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn request(method: &str, path: &str, token: Option<&str>, body: &str) -> String {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn every_request_read_before_sigterm_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("TERROIR_DATABASE_URL", dir.path().join("t.db"))
        .env("TERROIR_DATA_DIR", dir.path().join("data"))
        .env("TERROIR_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("TERROIR_LOG_FORMAT", "json")
        .env("TERROIR_WORKERS", "2")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watched = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(90));
        let _ = Command::new("kill").args(["-KILL", &watched]).status();
    });
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let mut line = String::new();
    while port.is_none() {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the server starts"
        );
        port = serde_json::from_str::<Value>(line.trim())
            .ok()
            .and_then(|entry| entry["port"].as_u64());
    }
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let address = format!("127.0.0.1:{}", port.unwrap());

    // Every connection is opened, used once and left kept-alive and idle.
    let mut connections = Vec::new();
    let mut token = None;
    for i in 0..CONNECTIONS {
        let stream = TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        if i == 0 {
            let login = format!(r#"{{"username":"admin","password":"{ADMIN_PASSWORD}"}}"#);
            writer
                .write_all(request("POST", "/api/v1/auth/login", None, &login).as_bytes())
                .unwrap();
            let (status, body) = read_response(&mut reader).unwrap();
            assert_eq!(status, 200, "{body}");
            let pair: Value = serde_json::from_str(&body).unwrap();
            token = pair["access_token"].as_str().map(str::to_string);
        } else {
            writer
                .write_all(request("GET", "/healthz", None, "").as_bytes())
                .unwrap();
            assert_eq!(read_response(&mut reader).unwrap().0, 200);
        }
        connections.push((reader, writer));
    }
    let token = token.unwrap();

    // A request on every connection, writes (queued behind SQLite's one writer) and
    // reads, then SIGTERM at once.
    for (i, (_, writer)) in connections.iter_mut().enumerate() {
        let wire = if i % 2 == 0 {
            let body = format!(
                r#"{{"code":"OFFICE{i}","jurisdiction":"TH","name":"Office {i}","opposition_period_days":90}}"#
            );
            request("POST", "/api/v1/offices", Some(&token), &body)
        } else {
            request("GET", "/api/v1/offices", None, "")
        };
        writer.write_all(wire.as_bytes()).unwrap();
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());

    let mut unanswered = Vec::new();
    for (i, (reader, _)) in connections.iter_mut().enumerate() {
        match read_response(reader) {
            Ok((status, body)) => {
                let expected = if i % 2 == 0 { 201 } else { 200 };
                assert_eq!(status, expected, "request {i}: {body}");
            }
            Err(why) => unanswered.push(format!("request {i}: {why}")),
        }
    }
    assert!(
        unanswered.is_empty(),
        "{} of {CONNECTIONS} requests unanswered: {unanswered:?}",
        unanswered.len()
    );
    let exit = child.wait().unwrap();
    assert!(exit.success(), "the server stops cleanly: {exit:?}");
}
