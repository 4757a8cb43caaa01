//! Web pages saved as one MIME file (.mht, .mhtml), as Chrome ("Webpage,
//! single file") and Internet Explorer save them: a `multipart/related`
//! message whose HTML part (quoted-printable or base64, in its own charset)
//! is the page, the rest its images and styles.
//!
//! MIME is parsed by mail-parser (0.11: 1.x needs a newer Rust than the
//! project's), which decodes the transfer encoding and the part's declared
//! charset, GBK included. A part that declares no charset is decoded here
//! from its raw bytes so that the page's own `<meta charset>` decides.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{MessageParser, MessagePart, MimeHeaders, PartType};

use super::html::{decode_html, read_markup};
use super::{Extracted, Format, Limits, SkipReason};

/// Reads a saved MHTML page: its HTML part, as a web page.
pub fn read_mhtml(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| SkipReason::Corrupt("not a MIME message".into()))?;
    limits.check()?;
    // Chrome names the page in the root's Snapshot-Content-Location; the
    // part with that Content-Location is the page, else the first HTML part.
    let root_location = message
        .header_raw("Snapshot-Content-Location")
        .or_else(|| message.root_part().content_location())
        .map(|l| l.trim().to_string());
    let html_parts: Vec<&MessagePart> = message.parts.iter().filter(|p| is_html(p)).collect();
    let page = root_location
        .as_deref()
        .and_then(|loc| {
            html_parts
                .iter()
                .find(|p| p.content_location().map(str::trim) == Some(loc))
        })
        .or_else(|| html_parts.first())
        .copied()
        .ok_or_else(|| {
            SkipReason::NoText("the MHTML file holds no HTML page; open and save it again".into())
        })?;
    let declares_charset = page
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .is_some();
    let (text, encoding) = if declares_charset {
        let text = page.text_contents().unwrap_or_default().to_string();
        let charset = page
            .content_type()
            .and_then(|ct| ct.attribute("charset"))
            .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
            .map_or("UTF-8", |e| e.name());
        (text, charset)
    } else {
        decode_html(&raw_body(bytes, page))?
    };
    limits.check()?;
    let mut out = read_markup(&text, Format::Mhtml, "mhtml")?;
    out.encoding = encoding;
    if page.is_encoding_problem {
        out.note = Some("the HTML part's transfer encoding is damaged; read what decoded".into());
    }
    Ok(out)
}

fn is_html(part: &MessagePart) -> bool {
    match &part.body {
        PartType::Html(_) => true,
        PartType::Text(_) | PartType::Binary(_) | PartType::InlineBinary(_) => {
            part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
            })
        }
        _ => false,
    }
}

/// A part's body bytes with only the transfer encoding undone.
fn raw_body(message: &[u8], part: &MessagePart) -> Vec<u8> {
    let start = (part.offset_body as usize).min(message.len());
    let end = (part.offset_end as usize).clamp(start, message.len());
    let raw = &message[start..end];
    match part.encoding {
        mail_parser::Encoding::QuotedPrintable => {
            quoted_printable_decode(raw).unwrap_or_else(|| raw.to_vec())
        }
        mail_parser::Encoding::Base64 => base64_decode(raw).unwrap_or_else(|| raw.to_vec()),
        mail_parser::Encoding::None => raw.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAGRAPH: &str = "全县实现生产总值(GDP)1102284万元，按可比价格计算，比上年增长9.3％。";

    fn page_html() -> String {
        format!(
            "<html><head><meta name=\"ArticleTitle\" content=\"万载县2015年国民经济和社会发展统计公报\"></head>\
             <body><div class=\"crumb\">您当前的位置：网站首页&gt;数据开放</div><div id=\"zoom\"><p>{PARAGRAPH}</p></div></body></html>"
        )
    }

    fn quoted_printable(bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut width = 0;
        for &b in bytes {
            let piece = if b == b'=' || !(b' '..=b'~').contains(&b) {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            if width + piece.len() > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out
    }

    fn mhtml(part_headers: &str, body: &str) -> Vec<u8> {
        format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.wanzai.gov.cn/a.shtml\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----B\"\r\n\r\n\
             ------B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: http://www.wanzai.gov.cn/logo.png\r\n\r\niVBORw0KGgo=\r\n\
             ------B\r\n{part_headers}Content-Location: http://www.wanzai.gov.cn/a.shtml\r\n\r\n{body}\r\n------B--\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn reads_the_html_part_in_either_transfer_encoding_and_charset() {
        let html = page_html();
        let (gbk, _, _) = encoding_rs::GBK.encode(&html);
        let base64 = {
            // A plain base64 writer: the test must not depend on the decoder it tests.
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in html.as_bytes().chunks(3) {
                let n = chunk
                    .iter()
                    .enumerate()
                    .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
                for i in 0..4 {
                    if i <= chunk.len() {
                        out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                    } else {
                        out.push('=');
                    }
                }
            }
            out
        };
        let cases = [
            (
                "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                quoted_printable(html.as_bytes()),
                "UTF-8",
            ),
            (
                "Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                quoted_printable(&gbk),
                "GBK",
            ),
            (
                "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n",
                base64,
                "UTF-8",
            ),
        ];
        for (headers, body, encoding) in cases {
            let e = read_mhtml(&mhtml(headers, &body), &Limits::new()).unwrap();
            let texts: Vec<&str> = e.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(
                texts,
                ["万载县2015年国民经济和社会发展统计公报", PARAGRAPH],
                "{headers}"
            );
            assert_eq!(e.encoding, encoding);
            assert_eq!(e.format, Format::Mhtml);
        }
    }

    #[test]
    fn reads_the_fixture_saves() {
        let cases: &[(&[u8], &str, &str)] = &[
            (
                include_bytes!("../../tests/fixtures/formats/mhtml_qp.mht"),
                include_str!("../../tests/fixtures/formats/mhtml_qp.expected.txt"),
                "UTF-8",
            ),
            (
                include_bytes!("../../tests/fixtures/formats/mhtml_base64.mht"),
                include_str!("../../tests/fixtures/formats/mhtml_base64.expected.txt"),
                "GBK",
            ),
        ];
        for (bytes, expected, encoding) in cases {
            assert_eq!(super::super::detect(bytes), Format::Mhtml);
            let e = super::super::read(bytes, &Limits::new()).unwrap();
            let got: Vec<&str> = e.lines.iter().map(|l| l.text.as_str()).collect();
            let want: Vec<String> = expected
                .lines()
                .map(super::super::html::normalise)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(got, want);
            assert_eq!(e.encoding, *encoding);
        }
    }

    #[test]
    fn a_message_without_a_page_says_so() {
        let bytes = mhtml("Content-Type: text/css\r\n", "body{}");
        let err = read_mhtml(&bytes, &Limits::new()).unwrap_err();
        assert!(
            matches!(err, SkipReason::NoText(ref why) if why.contains("no HTML page")),
            "{err}"
        );
    }
}
