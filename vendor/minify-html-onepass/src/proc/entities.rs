// planatlas: the trie of entity names that `entity.rs` walks, in place of
// `minify_html_common::gen::entities::ENTITY` (see VENDORED.md).
//
// The release's trie is a generated static of nodes holding 256-wide arrays of
// references: 9.5 MB that a position-independent program must relocate when it
// starts, so every process carried them as private memory whether it met an
// entity or not. This one is the same trie over the same keys, read from a
// sorted list of names made on first use: a node is the run of names that share
// its prefix, and a step narrows the run by bisection.
//
// The keys are those the release's `build.rs` puts in its trie: every name of
// WHATWG's `entities.json` (with its `&`, and its `;` where it has one), `&#`
// and a decimal digit (`Dec`), `&#x` and a hexadecimal digit (`Hex`).

use once_cell::sync::Lazy;

/// What a key of the trie stands for, as in the release.
#[derive(Clone, Copy)]
pub enum EntityType {
  Named(&'static [u8]),
  Dec,
  Hex,
}

/// The outcome of [`Node::longest_matching_prefix`], as in the release.
pub enum TrieNodeMatch {
  Found { len: usize, value: EntityType },
  NotFound { reached: usize },
}

/// Every name of `entities.json`, in byte order, each with the code points it
/// decodes to in hexadecimal (`&NewLine; A`).
const NAMES: &str = include_str!("entities.txt");

/// Every key with what it stands for, sorted bytewise, so that the keys sharing
/// a prefix form one run, with the prefix itself (when it is a key) first.
static KEYS: Lazy<Vec<(Vec<u8>, EntityType)>> = Lazy::new(|| {
  let mut keys = Vec::with_capacity(2_300);
  for line in NAMES.lines() {
    let mut parts = line.split(' ');
    let name = parts.next().expect("a name on every line");
    let mut decoded = Vec::new();
    for hex in parts {
      let code = u32::from_str_radix(hex, 16).expect("hexadecimal code points");
      let c = char::from_u32(code).expect("code points of characters");
      decoded.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    // Made once and kept for the life of the program, as the release's static is.
    let decoded: &'static [u8] = Box::leak(decoded.into_boxed_slice());
    keys.push((name.as_bytes().to_vec(), EntityType::Named(decoded)));
  }
  for d in b'0'..=b'9' {
    keys.push((vec![b'&', b'#', d], EntityType::Dec));
  }
  for h in (b'0'..=b'9').chain(b'a'..=b'f').chain(b'A'..=b'F') {
    keys.push((vec![b'&', b'#', b'x', h], EntityType::Hex));
  }
  keys.sort_by(|a, b| a.0.cmp(&b.0));
  keys
});

/// A node of the trie: the keys `lo..hi`, which all begin with the node's
/// prefix of `depth` bytes.
#[derive(Clone, Copy)]
pub struct Node {
  lo: u32,
  hi: u32,
  depth: u32,
}

/// The root: every key, an empty prefix.
pub fn root() -> Node {
  Node {
    lo: 0,
    hi: KEYS.len() as u32,
    depth: 0,
  }
}

impl Node {
  /// What the node's prefix stands for, if it is a key.
  #[inline]
  pub fn value(&self) -> Option<EntityType> {
    let (key, value) = KEYS.get(self.lo as usize).filter(|_| self.lo < self.hi)?;
    (key.len() == self.depth as usize).then_some(*value)
  }

  /// The child on byte `c`: the keys that continue the prefix with `c`.
  #[inline]
  pub fn child(&self, c: u8) -> Option<Node> {
    let keys = &KEYS[self.lo as usize..self.hi as usize];
    let depth = self.depth as usize;
    // The prefix itself, if it is a key, sorts first; every other key is
    // longer, and they are in the order of their byte at `depth`.
    let longer = usize::from(keys.first().is_some_and(|(k, _)| k.len() == depth));
    let rest = &keys[longer..];
    let start = rest.partition_point(|(k, _)| k[depth] < c);
    let end = start + rest[start..].partition_point(|(k, _)| k[depth] == c);
    (start < end).then(|| Node {
      lo: self.lo + (longer + start) as u32,
      hi: self.lo + (longer + end) as u32,
      depth: self.depth + 1,
    })
  }

  /// As the release's `TrieNode::shortest_matching_prefix`: from this node,
  /// follow `text[from..]` until a node with a value is reached, a byte has no
  /// child, or the text ends; returns that node and the position after the
  /// last byte followed.
  pub fn shortest_matching_prefix(&self, text: &[u8], from: usize) -> (Node, usize) {
    let mut node = *self;
    let mut pos = from;
    while let Some(&c) = text.get(pos) {
      match node.child(c) {
        Some(child) => node = child,
        None => break,
      };
      pos += 1;
      if node.value().is_some() {
        break;
      };
    }
    (node, pos)
  }

  /// As the release's `TrieNode::longest_matching_prefix`: the longest key
  /// that `text` begins with, or how far the walk got.
  pub fn longest_matching_prefix(&self, text: &[u8]) -> TrieNodeMatch {
    let mut node = *self;
    let mut found = None;
    let mut pos = 0;
    while let Some(&c) = text.get(pos) {
      match node.child(c) {
        Some(child) => node = child,
        None => break,
      };
      pos += 1;
      if let Some(v) = node.value() {
        found = Some(TrieNodeMatch::Found { len: pos, value: v });
      }
    }
    found.unwrap_or(TrieNodeMatch::NotFound { reached: pos })
  }
}
