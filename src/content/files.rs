//! Reading content files: presence, folder listings, text with its size and type limits, front
//! matter and TOML files, each failure as a diagnostic.

use super::*;

/// The report for a content file that could not be read.
pub(super) fn read_error(display: PathBuf, error: ReadError) -> Diagnostic {
    match error {
        ReadError::Io(e) => Diagnostic::new(display, 0, format!("cannot read the file: {e}")),
        ReadError::Symlink => {
            Diagnostic::new(display, 0, "symbolic links are not followed in content")
                .hint("replace the link by the file itself")
        }
        ReadError::NotRegular(what) => {
            Diagnostic::new(display, 0, format!("{what} is not a regular file"))
                .hint("content files must be regular files: replace it by the file itself")
        }
        ReadError::TooLarge(Some(bytes)) => Diagnostic::new(
            display,
            0,
            format!("the file has {bytes} bytes, more than the limit of {MAX_FILE_BYTES}"),
        )
        .hint("split the content into several files"),
        ReadError::TooLarge(None) => Diagnostic::new(
            display,
            0,
            format!("the file grew past the limit of {MAX_FILE_BYTES} bytes while it was read"),
        )
        .hint("split the content into several files"),
    }
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Editor and OS leftovers that are not content.
pub(super) fn is_ignored(path: &Path) -> bool {
    let name = file_name(path);
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}

impl Loader<'_> {
    /// Whether an optional file is there; a failure other than absence (permissions, a file
    /// where a folder should be) is reported, and the file is left out.
    pub(super) fn present(&mut self, path: &Path) -> bool {
        match content_fs::present(path) {
            Ok(there) => there,
            Err(e) => {
                self.diagnostics
                    .push(read_error(self.display(path), ReadError::Io(e)));
                false
            }
        }
    }

    /// The entries of `dir` sorted by name, or `None` (reported, with `hint`) when the folder
    /// cannot be read. Symbolic links and entries whose type cannot be read are reported and
    /// left out.
    pub(super) fn list(&mut self, dir: &Path, hint: &str) -> Option<Vec<Entry>> {
        let listing = match content_fs::list(dir) {
            Ok(l) => l,
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::new(self.display(dir), 0, format!("cannot read the folder: {e}"))
                        .hint(hint),
                );
                return None;
            }
        };
        for (path, e) in listing.errors {
            let message = match &path {
                Some(_) => format!("cannot read the entry's type: {e}"),
                None => format!("cannot list the folder completely: {e}"),
            };
            let path = path.unwrap_or_else(|| dir.to_path_buf());
            self.diagnostics
                .push(Diagnostic::new(self.display(&path), 0, message).hint(hint));
        }
        let mut entries = Vec::new();
        for entry in listing.entries {
            if entry.file_type.is_symlink() {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry.path),
                        0,
                        "symbolic links are not followed in content",
                    )
                    .hint("replace the link by the file or folder itself"),
                );
            } else {
                entries.push(entry);
            }
        }
        Some(entries)
    }

    /// Reads a text file: refuses symlinks, anything but a regular file, oversized files and
    /// invalid UTF-8; accepts a BOM and CRLF line endings.
    pub(super) fn read_text(&mut self, path: &Path) -> Option<String> {
        let display = self.display(path);
        let bytes = match content_fs::read_file(path, MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(e) => {
                self.diagnostics.push(read_error(display, e));
                return None;
            }
        };
        // simdutf8 checks text several times faster than the standard library, which decodes
        // CJK text character by character; its `compat` check gives the place of an error too.
        match simdutf8::compat::from_utf8(&bytes).map_err(|e| e.valid_up_to()) {
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                // Most files have no carriage return: copied, not searched for `\r\n`.
                Some(if text.contains('\r') {
                    text.replace("\r\n", "\n")
                } else {
                    text.to_string()
                })
            }
            Err(offset) => {
                let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!(
                            "the file is not valid UTF-8 (first invalid byte at offset {offset})"
                        ),
                    )
                    .hint("save the file as UTF-8"),
                );
                None
            }
        }
    }

    pub(super) fn read_content_file(&mut self, path: &Path) -> Option<ContentFile> {
        let text = self.read_text(path)?;
        let display = self.display(path);
        match frontmatter::split(&display, &text) {
            Ok(s) => Some(ContentFile {
                front_matter: s.front_matter.to_string(),
                front_matter_line: s.front_matter_line,
                body: s.body.to_string(),
                body_line: s.body_line,
                display,
            }),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    pub(super) fn parse_front_matter<T: serde::de::DeserializeOwned>(
        &mut self,
        file: &ContentFile,
    ) -> Option<T> {
        match parse_toml(&file.display, &file.front_matter, file.front_matter_line) {
            Ok(v) => Some(v),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Reads and parses a TOML file; problems are reported and give `None`. Returns the parsed
    /// value, the text (for line numbers of spans) and the path as shown in messages.
    pub(super) fn read_toml<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &Path,
    ) -> Option<(T, String, PathBuf)> {
        let display = self.display(path);
        let text = self.read_text(path)?;
        match parse_toml(&display, &text, 1) {
            Ok(value) => Some((value, text, display)),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }
}
