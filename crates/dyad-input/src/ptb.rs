//! Penn Treebank bracketed trees: `(ROOT (S (NP (NNP Arnor)) (VP …)))`.

use crate::InputError;

/// One node of a [`PtbTree`]: a phrase (label + children) or a preterminal (tag + word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PtbNode {
    /// A phrase node with its label (e.g. `NP`, `NP-TMP`) and children (indices into the tree).
    Phrase {
        /// Phrase label as written.
        label: String,
        /// Child node indices, in order.
        children: Vec<usize>,
    },
    /// A preterminal: part-of-speech tag and the word.
    Leaf {
        /// PTB tag (e.g. `NNP`).
        tag: String,
        /// The word.
        word: String,
    },
}

/// A parsed bracketed tree; node 0 is the root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PtbTree {
    /// All nodes; `nodes[0]` is the root.
    pub nodes: Vec<PtbNode>,
}

enum Tok<'a> {
    Open(usize),
    Close(usize),
    Atom(&'a str, usize),
}

fn tokenize(s: &str, first_line: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut line = first_line;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'(' => {
                out.push(Tok::Open(line));
                i += 1;
            }
            b')' => {
                out.push(Tok::Close(line));
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && bytes[i] != b'('
                    && bytes[i] != b')'
                {
                    i += 1;
                }
                out.push(Tok::Atom(&s[start..i], line));
            }
        }
    }
    out
}

impl PtbTree {
    /// Parses one bracketed tree. `file` and `first_line` locate errors.
    ///
    /// Accepts an optional unlabeled outer bracket (`( (S …) )`). Errors on unbalanced
    /// brackets, empty input, a leaf without a word, or trailing material.
    pub fn parse(s: &str, file: &str, first_line: usize) -> Result<PtbTree, InputError> {
        let toks = tokenize(s, first_line);
        if toks.is_empty() {
            return Err(InputError::new(file, first_line, "empty tree"));
        }
        let mut tree = PtbTree { nodes: Vec::new() };
        let mut pos = 0;
        let root = tree.parse_node(&toks, &mut pos, file)?;
        if pos < toks.len() {
            let line = match toks[pos] {
                Tok::Open(l) | Tok::Close(l) | Tok::Atom(_, l) => l,
            };
            return Err(InputError::new(file, line, "unbalanced tree: material after the closing bracket of the root (an extra ')' or a missing '(')"));
        }
        if root != 0 {
            // Root must be node 0; nodes are pushed in pre-order so this always holds.
            return Err(InputError::new(
                file,
                first_line,
                "internal: root is not node 0",
            ));
        }
        Ok(tree)
    }

    fn parse_node(
        &mut self,
        toks: &[Tok<'_>],
        pos: &mut usize,
        file: &str,
    ) -> Result<usize, InputError> {
        let open_line = match toks.get(*pos) {
            Some(Tok::Open(l)) => *l,
            Some(Tok::Close(l)) => {
                return Err(InputError::new(file, *l, "unbalanced tree: unexpected ')'"))
            }
            Some(Tok::Atom(a, l)) => {
                return Err(InputError::new(
                    file,
                    *l,
                    format!("expected '(' but found '{a}'"),
                ))
            }
            None => return Err(InputError::new(file, 0, "unexpected end of tree")),
        };
        *pos += 1;
        let label = match toks.get(*pos) {
            Some(Tok::Atom(a, _)) => {
                *pos += 1;
                a.to_string()
            }
            _ => String::new(),
        };
        // Preterminal: (TAG word)
        if let (Some(Tok::Atom(w, _)), Some(Tok::Close(_))) = (toks.get(*pos), toks.get(*pos + 1)) {
            if !label.is_empty() {
                *pos += 2;
                let idx = self.nodes.len();
                self.nodes.push(PtbNode::Leaf {
                    tag: label,
                    word: w.to_string(),
                });
                return Ok(idx);
            }
        }
        let idx = self.nodes.len();
        self.nodes.push(PtbNode::Phrase {
            label: label.clone(),
            children: Vec::new(),
        });
        let mut children = Vec::new();
        loop {
            match toks.get(*pos) {
                Some(Tok::Close(_)) => {
                    *pos += 1;
                    break;
                }
                Some(Tok::Open(_)) => {
                    let c = self.parse_node(toks, pos, file)?;
                    children.push(c);
                }
                Some(Tok::Atom(a, l)) => {
                    return Err(InputError::new(
                        file,
                        *l,
                        format!("word '{a}' outside a (TAG word) leaf"),
                    ));
                }
                None => {
                    return Err(InputError::new(
                        file,
                        open_line,
                        "unbalanced tree: a '(' opened on this line is never closed (missing ')')",
                    ))
                }
            }
        }
        if children.is_empty() {
            return Err(InputError::new(
                file,
                open_line,
                format!("phrase '{label}' has no children"),
            ));
        }
        if let PtbNode::Phrase { children: c, .. } = &mut self.nodes[idx] {
            *c = children;
        }
        Ok(idx)
    }

    /// The leaves (tag, word) in surface order.
    pub fn leaves(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        self.collect(0, &mut out);
        out
    }

    fn collect<'a>(&'a self, n: usize, out: &mut Vec<(&'a str, &'a str)>) {
        match &self.nodes[n] {
            PtbNode::Leaf { tag, word } => out.push((tag, word)),
            PtbNode::Phrase { children, .. } => {
                for &c in children {
                    self.collect(c, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_simple_tree() {
        let t =
            PtbTree::parse("(ROOT (S (NP (NNP Arnor)) (VP (VBD left)) (. .)))", "t", 1).unwrap();
        assert_eq!(
            t.leaves(),
            vec![("NNP", "Arnor"), ("VBD", "left"), (".", ".")]
        );
    }

    #[test]
    fn missing_close_names_line() {
        let e = PtbTree::parse(
            "(ROOT (S\n (NP (NNP Arnor)\n (VP (VBD left))))",
            "f.xml",
            10,
        )
        .unwrap_err();
        assert_eq!(e.file, "f.xml");
        assert!(e.cause.contains("never closed"), "{e}");
        assert!(e.line >= 10 && e.line <= 12);
    }

    #[test]
    fn extra_close_is_error() {
        let e = PtbTree::parse("(ROOT (NP (NNP A)))\n)", "f", 1).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.cause.contains("unbalanced"));
    }
}
