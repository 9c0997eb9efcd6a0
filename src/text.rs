//! Text for people: counts with thousands separators, and values from files or servers
//! made safe to print (control characters escaped, long values cut).

/// Formats a count with thousands separators, as the terminal summary and maps show it.
///
/// ```
/// assert_eq!(sigmap::thousands(5_156_603), "5,156,603");
/// ```
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// At most the first 80 characters of a value, for messages (a 200 MB field is not echoed),
/// with control characters shown escaped (a message must not drive the terminal).
///
/// ```
/// assert_eq!(sigmap::excerpt("E14\u{1b}[31m"), "E14\\u{1b}[31m");
/// assert!(sigmap::excerpt(&"9".repeat(1000)).ends_with("... (1000 bytes)"));
/// ```
pub fn excerpt(s: &str) -> String {
    shortened(s, 80)
}

/// `s` with control characters written as escapes (`\u{1b}`), newlines too unless
/// `keep_newlines`: text from a file or a server must not drive the terminal it is
/// printed on (an escape sequence in a petition's title).
///
/// ```
/// assert_eq!(sigmap::printable("a\nb\u{7}", true), "a\nb\\u{7}");
/// ```
pub fn printable(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && !(keep_newlines && c == '\n') && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `s`, printable, with its length in bytes when cut.
pub(crate) fn shortened(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => printable(s, false),
        Some((cut, _)) => format!("{}... ({} bytes)", printable(&s[..cut], false), s.len()),
    }
}
