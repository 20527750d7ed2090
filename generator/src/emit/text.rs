//! Text from the spec, made safe for each place it lands in generated
//! files. A spec is untrusted: its descriptions must never become doctests
//! (rustdoc compiles every code block that is not marked otherwise), never
//! carry characters rustc rejects (a bare CR in a doc comment) or denies by
//! default (bidirectional overrides), and never break out of the line or
//! string they sit in. Every spec string reaching output goes through one of
//! these functions:
//!
//! - [`rustdoc_lines`]: descriptions as rustdoc Markdown (`#[doc]` lines);
//! - [`markdown`]: the same for README files;
//! - [`markdown_line`]: titles, versions and summaries inside a sentence of
//!   a README; [`code_span`]: URLs and paths in one;
//! - [`one_line`]: titles, versions and URLs inside a sentence of a doc
//!   comment (which then goes through [`rustdoc_lines`] as a whole);
//! - [`toml_string`]: manifest strings;
//! - [`rust_string`]: a Rust string literal in source that is not built
//!   with `quote` (`Literal::string` escapes control and bidirectional
//!   characters); [`needs_escape`]: whether a raw string literal must be
//!   an escaped one instead.

use std::ops::Range;

use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The only info string a code block in spec text keeps: rustdoc shows it
/// and never compiles it.
const SAFE_LANGUAGE: &str = "text";

/// How often code blocks and HTML are rewritten before falling back to the
/// plain rendering (a rewrite can expose a construct a former one hid).
const MAX_PASSES: usize = 8;

/// Bidirectional formatting characters: rustc denies them in comments and
/// literals (`text_direction_codepoint_in_comment` / `_in_literal`), since
/// they make code read differently from how it compiles.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that never go into a generated file as they are: control
/// characters (line breaks are handled by each destination) and
/// bidirectional formatting.
fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Whether `text` has a character a raw string literal must not hold as is
/// (anything but a line feed that is a control or bidirectional character);
/// such text goes into an escaped literal instead.
pub fn needs_escape(text: &str) -> bool {
    text.chars().any(|c| c != '\n' && is_forbidden(c))
}

/// Text on one line: whitespace runs (line breaks of any kind included)
/// become one space, control and bidirectional characters go. For titles,
/// versions, URLs and summaries placed inside a sentence or a list item.
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| !is_forbidden(*c))
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text inside a sentence of a README: on one line, and Markdown-safe on
/// its own (see [`markdown`]); what would need a second line to stay safe is
/// rendered plain.
pub fn markdown_line(text: &str) -> String {
    let line = markdown(&one_line(text));
    if line.contains('\n') {
        plain(&one_line(text))
    } else {
        line
    }
}

/// `text` on one line as a Markdown code span: delimited by more backticks
/// than any run inside it, padded when it starts or ends with one.
pub fn code_span(text: &str) -> String {
    let text = one_line(text);
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{ticks} {text} {ticks}")
    } else {
        format!("{ticks}{text}{ticks}")
    }
}

/// `text` as a Rust string literal, quotes included, every control and
/// bidirectional character escaped.
pub fn rust_string(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// `value` as a TOML basic string, quotes included (TOML 1.0, section
/// "String"): backslash, quote and every control character are escaped, and
/// bidirectional characters too, so the manifest reads as it parses.
pub fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_forbidden(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The lines of a doc comment for Markdown `text`, each with the leading
/// space `///` gets (empty lines stay empty).
///
/// Prose formatting (paragraphs, lists, quotes, tables, emphasis, links) is
/// kept. Every code block, found as rustdoc finds them (fenced with backticks
/// or tildes, or indented, at any depth of quotes, lists and footnotes), is
/// fenced with the info string `text`, so rustdoc shows it and never compiles
/// it; raw HTML is escaped so it shows as text. The result is parsed again:
/// when anything in it is still unsafe, the text is rendered plain instead,
/// every Markdown character escaped.
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    markdown(text)
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Markdown `text` made safe (see [`rustdoc_lines`]), for a README or a doc
/// comment: no code block other than `text` ones, no raw HTML, no
/// `javascript:` links, no control or bidirectional characters, nothing left
/// open that would swallow what follows it.
pub fn markdown(text: &str) -> String {
    let markdown = clean(text);
    if is_plain_prose(&markdown) {
        return write_out_lazy_continuations(&markdown);
    }
    RENDERED.with(|rendered| {
        if let Some(safe) = rendered.borrow().as_ref().and_then(|kept| kept.get(text)) {
            return safe.clone();
        }
        let safe = rewritten(markdown, text);
        if let Some(kept) = rendered.borrow_mut().as_mut() {
            kept.insert(text.to_owned(), safe.clone());
        }
        safe
    })
}

thread_local! {
    /// While [`remembering`] runs on this thread: the text [`markdown`] gave
    /// for each description that needed the parser. A spec repeats its
    /// descriptions (GitHub: 24,372 such texts rendered, 10,757 distinct: a
    /// parameter's in every operation that takes it, in the types, the
    /// server and the client), and the parser is most of the cost of
    /// rendering one.
    static RENDERED: RefCell<Option<HashMap<String, String>>> = const { RefCell::new(None) };
}

/// Runs `job` (one emit job) with what [`markdown`] renders kept and
/// reused until it returns: what is kept is bounded by one job's
/// descriptions.
pub fn remembering<T>(job: impl FnOnce() -> T) -> T {
    RENDERED.with(|rendered| *rendered.borrow_mut() = Some(HashMap::new()));
    let done = job();
    RENDERED.with(|rendered| *rendered.borrow_mut() = None);
    done
}

/// [`markdown`] for text that needs the parser: `markdown` is `text`
/// cleaned.
fn rewritten(mut markdown: String, text: &str) -> String {
    for _ in 0..MAX_PASSES {
        match rewrite(&markdown) {
            Some(rewritten) => markdown = rewritten,
            None => break,
        }
    }
    let markdown = write_out_lazy_continuations(&markdown);
    if is_safe(&markdown) {
        markdown
    } else {
        plain(text)
    }
}

/// Text that cannot hold a code block (no backtick, tilde or four-space
/// indentation), HTML or an autolink (no `<`), a link or a footnote (no `[`)
/// or a bare URL (no `://`): nothing to rewrite, and safe as it is. Most
/// descriptions are, and skip the parser.
fn is_plain_prose(cleaned: &str) -> bool {
    !['`', '~', '<', '[']
        .into_iter()
        .any(|c| cleaned.contains(c))
        && !cleaned.contains("    ")
        && !cleaned.contains("://")
}

/// Line breaks as `\n`, tabs as four spaces, no trailing whitespace, no
/// control or bidirectional characters. Runs on every description, so a
/// line with nothing to change is copied whole.
fn clean(text: &str) -> String {
    // Each character searched for on its own: a search for one character
    // is a `memchr`, several at once a loop over every character.
    let breaks = ['\r', '\u{2028}', '\u{2029}'];
    let text: std::borrow::Cow<'_, str> = if breaks.into_iter().any(|c| text.contains(c)) {
        text.replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
            .into()
    } else {
        text.into()
    };
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let plain_ascii = line.is_ascii() && !line.bytes().any(|b| b < 0x20 || b == 0x7f);
        if plain_ascii || !line.contains(|c: char| c == '\t' || is_forbidden(c)) {
            out.push_str(line.trim_end());
            continue;
        }
        let start = out.len();
        for c in line.chars() {
            match c {
                '\t' => out.push_str("    "),
                c if is_forbidden(c) => {}
                c => out.push(c),
            }
        }
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
    }
    let trimmed = out.trim_matches('\n');
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

/// Lazy continuation lines, which Markdown allows and clippy warns about in
/// doc comments (`doc_lazy_continuation`, `doc_overindented_list_items`;
/// crates are built with `-D warnings`), written out in full: a line that
/// continues a quote's paragraph without its `>` gets the quote's markers,
/// and one that continues a list item's paragraph without the item's
/// indentation, or indented past it, is indented to the item's content.
/// Markdown renders each form alike (continuation lines belong to the open
/// paragraph and lose their indentation). Runs on the rewritten text, where
/// HTML is already escaped, so that it sees the lines clippy sees. Lines
/// inside fences are left alone, and so is a line that starts a block of its
/// own (a heading, a table row, a rule, a list item).
fn write_out_lazy_continuations(text: &str) -> String {
    let opens_container =
        |line: &str| line.trim_start().starts_with('>') || list_item_content(line).is_some();
    if !text.split('\n').any(opens_container) {
        return text.to_owned();
    }
    let mut lines = Vec::new();
    // Where the open list item's content starts, while its paragraph is open.
    let mut item_content: Option<usize> = None;
    // The markers of the open quote, while its paragraph is open.
    let mut quote: Option<String> = None;
    let mut in_fence = false;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            (item_content, quote) = (None, None);
        } else if in_fence || trimmed.is_empty() {
            (item_content, quote) = (None, None);
        } else if trimmed.starts_with('>') {
            item_content = None;
            quote = quote_markers(trimmed);
        } else if starts_own_block(trimmed) {
            (item_content, quote) = (None, None);
        } else if let Some(content) = list_item_content(line) {
            (item_content, quote) = (Some(content), None);
        } else if let Some(markers) = &quote {
            lines.push(format!("{markers}{trimmed}"));
            continue;
        } else if let Some(content) = item_content.filter(|&content| indent != content) {
            lines.push(format!("{}{trimmed}", " ".repeat(content)));
            continue;
        }
        lines.push(line.to_owned());
    }
    lines.join("\n")
}

/// The quote markers (`> `, one per level) of a quote line that holds text,
/// `None` for one that holds none (its paragraph, if any, has ended), or
/// that opens a fence.
fn quote_markers(trimmed: &str) -> Option<String> {
    let content = trimmed.trim_start_matches(['>', ' ']);
    let levels = trimmed[..trimmed.len() - content.len()]
        .matches('>')
        .count();
    let opens_block = content.starts_with("```") || content.starts_with("~~~");
    (!content.is_empty() && !opens_block).then(|| "> ".repeat(levels))
}

/// Where the content of the list item `line` starts (`- `, `* `, `+ `,
/// `1. `, `1) `), if it is one.
fn list_item_content(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match trimmed.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &trimmed[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    if spaces == 0 || rest.trim().is_empty() {
        return None;
    }
    // Five spaces or more start indented code in the item: its content
    // starts one space after the marker.
    Some(indent + marker + if spaces > 4 { 1 } else { spaces })
}

/// Whether a line (without its indentation) starts a block that a lazy
/// continuation cannot be: a heading, a table row, or a thematic break or
/// setext underline.
fn starts_own_block(trimmed: &str) -> bool {
    let rule = |c: char| trimmed.starts_with(c) && trimmed.chars().all(|d| d == c || d == ' ');
    trimmed.starts_with(['#', '|']) || ['-', '*', '_', '='].into_iter().any(rule)
}

/// The Markdown options rustdoc parses docs with.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// One rewriting pass: every code block not yet a closed `text` block, and
/// every piece of raw HTML, rewritten in place. `None` when nothing needed
/// it.
fn rewrite(markdown: &str) -> Option<String> {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // The content starts of the lines of the indented block being read.
    let mut indented: Option<Vec<usize>> = None;
    // Inside a code block or a link, where a URL is no bare URL.
    let mut verbatim = 0usize;
    let broken = RefCell::new(Vec::new());
    let note_broken = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        if !is_code_path_link(&markdown[link.span.clone()]) {
            broken.borrow_mut().push(link.span.start);
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(markdown, options(), Some(note_broken));
    for (event, range) in parser.into_offset_iter() {
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => verbatim += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                verbatim = verbatim.saturating_sub(1)
            }
            Event::Text(text) if verbatim == 0 => {
                edits.extend(bare_url_edits(markdown, range.clone()));
                edits.extend(backtick_edits(markdown, range.clone(), text));
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                edits.extend(fenced_edits(markdown, range));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => indented = Some(Vec::new()),
            Event::Text(text) if indented.is_some() => {
                if let Some(starts) = indented.as_mut() {
                    if !text.trim().is_empty() {
                        starts.push(range.start);
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(starts) = indented.take() {
                    edits.extend(indented_edits(markdown, &starts));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                for (at, _) in markdown[range.clone()].match_indices('<') {
                    let at = range.start + at;
                    edits.push((at..at + 1, "&lt;".to_owned()));
                }
            }
            _ => {}
        }
    }
    // A `[label]` that is no link: rustdoc would take it for an intra-doc
    // link and warn that it does not resolve. Escaped, it is text.
    for at in broken.take() {
        // An image's label follows its `!`.
        let at = if markdown[at..].starts_with("![") {
            at + 1
        } else {
            at
        };
        if markdown[at..].starts_with('[') {
            edits.push((at..at, "\\".to_owned()));
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            // Overlapping edits: the guard decides on the result.
            continue;
        }
        out.push_str(&markdown[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    Some(out)
}

/// A bare `http(s)://` URL in the text at `range` becomes an autolink
/// (`<...>`), as rustdoc's `bare_urls` lint asks.
fn bare_url_edits(markdown: &str, range: Range<usize>) -> Vec<(Range<usize>, String)> {
    let text = &markdown[range.clone()];
    let mut edits = Vec::new();
    let mut from = 0;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text[from..].find(scheme))
        .min()
    {
        let start = from + found;
        let rest = &text[start..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`' | '"' | '\\'))
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '*', '_']);
        if url.len() > "https://".len() {
            let at = range.start + start;
            edits.push((at..at, "<".to_owned()));
            edits.push((at + url.len()..at + url.len(), ">".to_owned()));
        }
        from = start + len.max(1);
    }
    edits
}

/// Backticks that open no code span here are escaped, so text placed after
/// this one (the rest of a README line, the next paragraph of a doc) cannot
/// close a span they open and turn its own text into code, or code into
/// text.
fn backtick_edits(markdown: &str, range: Range<usize>, text: &str) -> Vec<(Range<usize>, String)> {
    let source = &markdown[range.clone()];
    if !text.contains('`') || source.matches('`').count() != text.matches('`').count() {
        return Vec::new();
    }
    source
        .match_indices('`')
        .filter(|(at, _)| {
            // Not already escaped: an even number of backslashes before it.
            let before = &markdown[..range.start + at];
            (before.len() - before.trim_end_matches('\\').len()) % 2 == 0
        })
        .map(|(at, _)| (range.start + at..range.start + at, "\\".to_owned()))
        .collect()
}

/// The start of the line holding byte `at`.
fn line_start(markdown: &str, at: usize) -> usize {
    markdown[..at].rfind('\n').map_or(0, |n| n + 1)
}

/// The end of the line holding byte `at` (its `\n`, or the end).
fn line_end(markdown: &str, at: usize) -> usize {
    markdown[at..].find('\n').map_or(markdown.len(), |n| at + n)
}

/// A container prefix (quote markers, list indentation, a list marker) as it
/// continues on the next line: list markers become spaces.
fn continuation(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A fenced block whose info string is not `text` gets `text`; one left
/// open (it ran to the end of its container) gets its closing fence.
fn fenced_edits(markdown: &str, block: Range<usize>) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    let Some(fence_at) = markdown[block.clone()]
        .find(['`', '~'])
        .map(|n| block.start + n)
    else {
        return edits;
    };
    let fence_char = markdown[fence_at..].chars().next().unwrap_or('`');
    let fence_len = markdown[fence_at..]
        .chars()
        .take_while(|c| *c == fence_char)
        .count();
    let info = fence_at + fence_len..line_end(markdown, fence_at);
    if markdown[info.clone()].trim() != SAFE_LANGUAGE {
        edits.push((info.clone(), SAFE_LANGUAGE.to_owned()));
    }
    let body = &markdown[info.end..block.end.max(info.end)];
    let last_line = body
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or("");
    let closing = last_line.trim_end();
    let run = closing.len() - closing.trim_end_matches(fence_char).len();
    let closed = body.trim_end_matches('\n').contains('\n')
        && run >= fence_len
        && closing[..closing.len() - run]
            .chars()
            .all(|c| c == ' ' || c == '>');
    if !closed {
        let prefix = &markdown[line_start(markdown, fence_at)..fence_at];
        let end = block.start + markdown[block.clone()].trim_end_matches('\n').len();
        let end = end.max(info.end);
        let fence: String = std::iter::repeat(fence_char).take(fence_len).collect();
        edits.push((end..end, format!("\n{}{fence}", continuation(prefix))));
    }
    edits
}

/// An indented block (its lines' content starts given) fenced as `text` in
/// place: the fence lines take the block's container prefix, and each line
/// loses the four spaces of indentation that made it code.
fn indented_edits(markdown: &str, starts: &[usize]) -> Vec<(Range<usize>, String)> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for &start in starts {
        let line = line_start(markdown, start);
        match lines.last() {
            Some(&(last, _)) if last == line => {}
            _ => lines.push((line, start)),
        }
    }
    let (Some(&(first_line, first)), Some(&(last_line, last))) = (lines.first(), lines.last())
    else {
        return Vec::new();
    };
    if lines
        .iter()
        .any(|&(line, start)| start < line + 4 || &markdown[start - 4..start] != "    ")
    {
        // Not the indentation expected: leave it to the guard.
        return Vec::new();
    }
    let block_text = &markdown[first_line..line_end(markdown, last)];
    let fence = "`".repeat(longest_backtick_run(block_text).max(2) + 1);
    let mut edits = Vec::new();
    let prefix = &markdown[first_line..first - 4];
    edits.push((
        first_line..first,
        format!("{prefix}{fence}{SAFE_LANGUAGE}\n{}", continuation(prefix)),
    ));
    for &(_, start) in &lines[1..] {
        edits.push((start - 4..start, String::new()));
    }
    let end = line_end(markdown, last);
    let prefix = &markdown[last_line..last - 4];
    edits.push((end..end, format!("\n{}{fence}", continuation(prefix))));
    edits
}

/// Whether rustdoc would find nothing unsafe in `markdown`: every code block
/// fenced as `text`, no raw HTML, no script links, no forbidden character,
/// and nothing left open (a paragraph after it is a paragraph of its own).
fn is_safe(markdown: &str) -> bool {
    if markdown.chars().any(|c| c != '\n' && is_forbidden(c)) {
        return false;
    }
    const AFTER: &str = "apiforge end of text";
    let probe = format!("{markdown}\n\n{AFTER}");
    let mut depth = 0usize;
    let mut closed = false;
    let broken = RefCell::new(false);
    let note_broken = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        if !is_code_path_link(&probe[link.span.clone()]) {
            *broken.borrow_mut() = true;
        }
        None
    };
    for event in Parser::new_with_broken_link_callback(&probe, options(), Some(note_broken)) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.as_ref() == SAFE_LANGUAGE =>
            {
                depth += 1
            }
            Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_) => {
                return false
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_script_url(&dest_url) || is_path_like(&dest_url) =>
            {
                return false
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(text) => closed = depth == 1 && text.as_ref() == AFTER,
            _ => closed = false,
        }
    }
    closed && !broken.into_inner()
}

/// ``[`Path`]`` or ``[`Path::method()`]``: the intra-doc link form the
/// generator's own docs use (they resolve); kept as a link.
fn is_code_path_link(label: &str) -> bool {
    let Some(path) = label
        .strip_prefix("[`")
        .and_then(|rest| rest.strip_suffix("`]"))
    else {
        return false;
    };
    let path = path.strip_suffix("()").unwrap_or(path);
    path.split("::").all(|segment| {
        segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A link target rustdoc would resolve as a Rust path (an intra-doc link),
/// and warn about when nothing by that name exists.
fn is_path_like(url: &str) -> bool {
    !url.is_empty()
        && url
            .chars()
            .all(|c| c.is_alphanumeric() || "_:<>,!*&;@()".contains(c))
        && !url.contains("://")
        && !url.starts_with("mailto:")
}

/// A link target that runs code when followed.
fn is_script_url(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// `text` with every Markdown construct disarmed: lines without leading
/// whitespace (no indented code), every ASCII punctuation character
/// backslash-escaped (no fences, HTML, lists, quotes, links or emphasis).
/// Renders as the text itself.
fn plain(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len() * 2);
    for (n, line) in cleaned.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        for c in line.trim_start().chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> String {
        markdown(text)
    }

    #[test]
    fn prose_is_kept() {
        let prose = "Intro with *emphasis* and `code`.\n\n- item\n  continued\n- [link](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        assert_eq!(md(prose), prose);
        assert_eq!(rustdoc_lines("a\n\nb"), [" a", "", " b"]);
    }

    #[test]
    fn clean_normalises_breaks_tabs_and_controls() {
        assert_eq!(clean("\n\na \r\nb\rc\u{2028}d\t \n\n"), "a\nb\nc\nd");
        assert_eq!(clean("\tx\u{7} \u{202e}\ny"), "    x\ny");
        assert_eq!(clean("plain\n\ntext"), "plain\n\ntext");
        assert_eq!(clean("a\n\u{7}\nb"), "a\n\nb");
    }

    #[test]
    fn lazy_continuations_are_written_out() {
        assert_eq!(md("- item\nmore\n\nafter"), "- item\n  more\n\nafter");
        assert_eq!(
            md("Two aspects:\n  - first\n  - second\nUsing them"),
            "Two aspects:\n  - first\n  - second\n    Using them"
        );
        assert_eq!(md("1. item\n more"), "1. item\n   more");
        assert_eq!(md("- a\n  - b\nc"), "- a\n  - b\n    c");
        assert_eq!(md("- item\n         more"), "- item\n  more");
        assert_eq!(md("> quote\nmore"), "> quote\n> more");
        assert_eq!(md("> > deep\nmore"), "> > deep\n> > more");
        assert_eq!(
            md("> Note.\n<br>\n**Scopes**:<br>"),
            "> Note.\n> &lt;br>\n> **Scopes**:&lt;br>"
        );
        assert_eq!(md("> quote\n\nafter"), "> quote\n\nafter");
        assert_eq!(md("> quote\n- item"), "> quote\n- item");
        assert_eq!(md(">\nafter"), ">\nafter");
        // Blocks of their own, and lines after a blank line, stay.
        assert_eq!(md("- item\n# Heading"), "- item\n# Heading");
        assert_eq!(md("- item\n---"), "- item\n---");
        assert_eq!(md("- item\n\nnext"), "- item\n\nnext");
        // Not list items.
        assert_eq!(md("-item\nmore"), "-item\nmore");
        assert_eq!(md("1234567890. item\nmore"), "1234567890. item\nmore");
    }

    #[test]
    fn fenced_blocks_become_text() {
        assert_eq!(md("Intro\n```json\n{}\n```"), "Intro\n```text\n{}\n```");
        assert_eq!(md("~~~rust\nx\n~~~"), "~~~text\nx\n~~~");
        assert_eq!(md("````\nx\n````"), "````text\nx\n````");
        assert_eq!(md("> ```\n> x\n> ```"), "> ```text\n> x\n> ```");
        assert_eq!(md("- ```\n  x\n  ```"), "- ```text\n  x\n  ```");
        assert_eq!(md("1. ```rust\n   x\n   ```"), "1. ```text\n   x\n   ```");
        assert_eq!(
            md("- a\n  - ```\n    x\n    ```"),
            "- a\n  - ```text\n    x\n    ```"
        );
    }

    #[test]
    fn open_fences_are_closed() {
        assert_eq!(md("```\nx"), "```text\nx\n```");
        assert_eq!(md("> ```\n> x"), "> ```text\n> x\n> ```");
        assert_eq!(md("- ~~~\n  x\n\nafter"), "- ~~~text\n  x\n  ~~~\n\nafter");
    }

    #[test]
    fn indented_blocks_are_fenced() {
        assert_eq!(
            md("Intro\n\n    let x = 1;\nafter"),
            "Intro\n\n```text\nlet x = 1;\n```\nafter"
        );
        assert_eq!(
            md("> a\n>\n>     code\n>     more"),
            "> a\n>\n> ```text\n> code\n> more\n> ```"
        );
        assert_eq!(md("- a\n\n      code"), "- a\n\n  ```text\n  code\n  ```");
        assert_eq!(md("\tcode"), "```text\ncode\n```");
        // Backticks inside get a longer fence.
        assert_eq!(md("    ```\n    x"), "````text\n```\nx\n````");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            md("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(md("a <code>b</code>"), "a &lt;code>b&lt;/code>");
        assert_eq!(md("<pre>\nx\n</pre>"), "&lt;pre>\nx\n&lt;/pre>");
    }

    #[test]
    fn forbidden_characters_go() {
        assert_eq!(md("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(md("x\u{202E}y\u{2066}z\0\u{7}w"), "xyzw");
        assert_eq!(one_line(" a\r\n b\u{202E}\u{1b}c\u{2028}d "), "a bc d");
        assert!(needs_escape("a\u{202E}"));
        assert!(needs_escape("a\rb"));
        assert!(!needs_escape("a\nb é"));
    }

    #[test]
    fn links_rustdoc_would_warn_about() {
        assert_eq!(md("see [Pet] and [a][b]"), "see \\[Pet] and \\[a]\\[b]");
        assert_eq!(md("#![allow(x)]"), "#!\\[allow(x)]");
        assert_eq!(
            md("[x]: https://example.com\n\n[x]"),
            "[x]: https://example.com\n\n[x]"
        );
        assert_eq!(
            md("See https://example.com/a_b. Or <https://x.org> or [t](https://y.org)."),
            "See <https://example.com/a_b>. Or <https://x.org> or [t](https://y.org)."
        );
        assert_eq!(md("`https://x.org`"), "`https://x.org`");
        assert_eq!(md("[a](b)"), "\\[a\\]\\(b\\)");
        // The generator's own intra-doc links stay links.
        assert_eq!(
            md("[`Api`] and [`Api::get()`]"),
            "[`Api`] and [`Api::get()`]"
        );
        assert_eq!(md("[`a b`]"), "\\[`a b`]");
    }

    #[test]
    fn lone_backticks_are_escaped() {
        // The first span runs from the first backtick to the one before `d`.
        assert_eq!(md("a ` b `` c `d`"), "a ` b `` c `d\\`");
        assert_eq!(md("a `` b"), "a \\`\\` b");
        assert_eq!(markdown_line("x `<script>"), "x \\`&lt;script>");
    }

    #[test]
    fn script_links_fall_back_to_plain() {
        assert_eq!(
            md("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
        );
        assert_eq!(plain("  - a `b`\n    c"), "\\- a \\`b\\`\nc");
    }

    #[test]
    fn inline_text() {
        assert_eq!(
            markdown_line("A <b>title</b>\n```rust"),
            "A &lt;b>title&lt;/b> \\`\\`\\`rust"
        );
        assert_eq!(markdown_line("```rust"), "\\`\\`\\`rust");
        assert_eq!(code_span("/a`b"), "``/a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(rust_string("a\"\\\r\u{202E}\0"), r#""a\"\\\r\u{202e}\0""#);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("x\ny\u{7}\u{202E}"), r#""x\ny\u0007\u202E""#);
    }

    #[test]
    fn a_job_reuses_what_it_rendered_and_keeps_nothing_after() {
        let text = "See [the docs](https://example.com) and `code`.\n\n    indented";
        let fresh = markdown(text);
        let (first, second, kept) = remembering(|| {
            let first = markdown(text);
            let kept = RENDERED.with(|rendered| {
                rendered
                    .borrow()
                    .as_ref()
                    .map(|kept| kept.get(text).cloned())
            });
            (first, markdown(text), kept)
        });
        assert_eq!(first, fresh);
        assert_eq!(second, fresh);
        assert_eq!(kept, Some(Some(fresh)));
        assert!(RENDERED.with(|rendered| rendered.borrow().is_none()));
    }

    #[test]
    fn plain_prose_is_safe_as_it_is() {
        for text in [
            "A pet.",
            "- a\n- b\n\n> quote",
            "Setext\n===",
            "a | b\n--|--\n1 | 2",
        ] {
            assert!(is_plain_prose(text), "{text}");
            assert!(is_safe(text), "{text}");
        }
    }

    #[test]
    fn nothing_unsafe_survives() {
        for text in [
            "> ```rust\n> std::process::exit(1)\n> ```",
            "- item\n\n      std::process::exit(1)",
            "1. a\n   1. b\n\n          std::process::exit(1)",
            "> - > ```\n>   > x",
            "[^1]: note\n\n        std::process::exit(1)",
            "    a\n\n\n    b",
            "```\n````\n```",
            "~~~\n```rust\nx\n```\n~~~",
            "<details>\n\n```rust\nx\n```\n\n</details>",
        ] {
            let out = md(text);
            assert!(is_safe(&out), "{text:?} -> {out:?}");
        }
    }
}
