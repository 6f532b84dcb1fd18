/* batmi site search. Analyses the query exactly as src/search/analysis.rs analysed the stories
   (NFC, nukta, digits, Marathi suffixes, Snowball English stems from snowball-english.js), fetches
   from this edition's search/ only the index files its terms need (the manifest names them; see
   src/search/files.rs) and the result data of the results shown, and lists the matching stories
   in #search-results. No framework, no requests elsewhere. Every text from the index or a story
   is inserted with textContent, never as HTML. */
(function () {
  'use strict';

  // --- Text analysis: keep in step with src/search/analysis.rs (tests/search_analysis.json checks it).

  var MR_SUFFIXES = [
    'प्रमाणे', 'पर्यंत', 'पलीकडे', 'पासून', 'मध्ये', 'पूर्वी', 'बरोबर', 'विषयी', 'बद्दल', 'ऐवजी',
    'नुसार', 'भोवती', 'विरुद्ध', 'द्वारे', 'करिता', 'खालील', 'मधून', 'मधील', 'कडून', 'कडील',
    'वरून', 'वरील', 'साठी', 'सोबत', 'नंतर', 'च्या', 'मुळे', 'खाली', 'पुढे', 'आधी', 'कडे', 'तून',
    'तील', 'वर', 'चा', 'ची', 'चे', 'ला', 'ना', 'ने', 'नी', 'शी', 'ही', 'त', 'च'
  ];
  var MR_ENDINGS = [
    '्यां', '्या', 'ां', 'ीं', 'ें', 'ों', 'ा', 'ि', 'ी', 'ु', 'ू', 'े', 'ै', 'ो', 'ौ', 'ं'
  ];
  var STOPWORDS = new Set([
    'आणि', 'व', 'हा', 'ही', 'हे', 'या', 'ते', 'ती', 'तो', 'की', 'का', 'आहे', 'आहेत', 'होते',
    'होता', 'होती', 'असे', 'अशी', 'असा', 'तर', 'पण', 'मात्र', 'त्या', 'त्यांनी', 'त्यांच्या',
    'यांनी', 'यांच्या', 'यांना', 'असून',
    'a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'and', 'or',
    'is', 'are', 'was', 'were', 'be', 'been', 'it', 'its', 'as', 'that', 'this', 'has', 'have',
    'had', 'not', 'but', 'he', 'his', 'she', 'her', 'they', 'their', 'will', 'would', 'which',
    'who'
  ]);
  var NUKTA_LETTERS = {
    '\u0929': 'न', '\u0931': 'र', '\u0934': 'ळ', '\u0958': 'क', '\u0959': 'ख', '\u095A': 'ग',
    '\u095B': 'ज', '\u095C': 'ड', '\u095D': 'ढ', '\u095E': 'फ', '\u095F': 'य'
  };
  var FOLD = { 'ी': 'ि', 'ू': 'ु', 'ई': 'इ', 'ऊ': 'उ', 'ँ': 'ं' };
  var DROP = /[\u200B-\u200D\u2060\uFEFF\u00AD\u093C]/;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;

  function normalize(text) {
    var out = '';
    for (var c of text.normalize('NFC')) {
      if (DROP.test(c)) continue;
      var cp = c.codePointAt(0);
      if (NUKTA_LETTERS[c]) c = NUKTA_LETTERS[c];
      else if (cp >= 0x0966 && cp <= 0x096F) c = String(cp - 0x0966);
      else if (c === '\u2018' || c === '\u2019') c = "'";
      if ((c === '\u0945' || c === '\u0949') && out.endsWith('अ')) {
        out = out.slice(0, -1) + (c === '\u0945' ? 'ॲ' : 'ऑ');
        continue;
      }
      out += c.toLowerCase();
    }
    return out;
  }

  function isDevanagari(c) {
    var cp = c.codePointAt(0);
    return cp >= 0x0900 && cp <= 0x097F;
  }

  function isWordChar(c) {
    var cp = c.codePointAt(0);
    // Fast answers for ASCII, Devanagari and general punctuation; the Unicode property
    // class (costly to build on a slow phone) only for the rest.
    if (cp < 0x80) return (cp >= 48 && cp <= 57) || ((cp | 32) >= 97 && (cp | 32) <= 122);
    if (cp >= 0x0900 && cp <= 0x097F) return c !== '\u0964' && c !== '\u0965' && c !== '\u0970';
    if (cp >= 0x2000 && cp <= 0x206F) return false;
    return ALNUM.test(c);
  }

  function isDigit(c) {
    return c !== undefined && c >= '0' && c <= '9';
  }

  function words(norm) {
    var chars = Array.from(norm);
    var out = [];
    var cur = '';
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      var prev = chars[i - 1];
      var next = chars[i + 1];
      var digits = isDigit(prev) && isDigit(next);
      if (isWordChar(c) || (c === '.' && digits)) {
        cur += c;
      } else if ((c === ',' && digits) ||
                 (c === "'" && cur !== '' && prev !== undefined && next !== undefined &&
                  isWordChar(prev) && isWordChar(next))) {
        if (c === "'") cur += c;
      } else if (cur !== '') {
        out.push(cur);
        cur = '';
      }
    }
    if (cur !== '') out.push(cur);
    return out;
  }

  function letters(s) {
    var n = 0;
    for (var c of s) {
      var cp = c.codePointAt(0);
      var sign = (cp >= 0x0900 && cp <= 0x0903) || (cp >= 0x093A && cp <= 0x093C) ||
        (cp >= 0x093E && cp <= 0x094F) || (cp >= 0x0951 && cp <= 0x0957) ||
        (cp >= 0x0962 && cp <= 0x0963);
      if (!sign) n++;
    }
    return n;
  }

  function stripOne(s, list) {
    for (var i = 0; i < list.length; i++) {
      if (!s.endsWith(list[i])) continue;
      var rest = s.slice(0, s.length - list[i].length);
      if (letters(rest) >= 2 && !rest.endsWith('\u094D')) return rest;
    }
    return null;
  }

  function stemMarathi(s) {
    for (;;) {
      var next = stripOne(s, MR_SUFFIXES);
      if (next === null) next = stripOne(s, MR_ENDINGS);
      if (next === null) return s;
      s = next;
    }
  }

  var english = null;
  /** The Snowball English stem (the EnglishStemmer of snowball-english.js, loaded before). */
  function stemEnglish(w) {
    if (english === null) english = new EnglishStemmer(); // eslint-disable-line no-undef
    return english.stemWord(w);
  }

  function stem(word) {
    if (Array.from(word).some(isDevanagari)) return stemMarathi(word);
    if (/^[a-z]+$/.test(word)) return stemEnglish(word);
    return word;
  }

  function fold(s) {
    var out = '';
    for (var c of s) out += FOLD[c] || c;
    return out;
  }

  function term(word, opts) {
    var w = word.endsWith("'s") ? word.slice(0, -2) : word;
    w = w.split("'").join('');
    if (w === '' || STOPWORDS.has(w)) return null;
    if (opts.stem) w = stem(w);
    return opts.fold ? fold(w) : w;
  }

  function terms(text, opts) {
    return words(normalize(text)).map(function (w) { return term(w, opts); })
      .filter(function (t) { return t !== null; });
  }

  // --- The index and the query.

  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = {};
  for (var d = 0; d < 64; d++) DIGIT[DIGITS[d]] = d;

  /** Reads the numbers of a postings string (src/search/mod.rs, push_number). */
  function numbers(s) {
    var out = [];
    var n = 0;
    var scale = 1;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT[s[i]];
      n += (v & 31) * scale;
      if (v < 32) {
        out.push(n);
        n = 0;
        scale = 1;
      } else {
        scale *= 32;
      }
    }
    return out;
  }

  /** Adds a postings string's doc → weight pairs to `m`. */
  function postings(s, m) {
    var list = numbers(s);
    var doc = 0;
    for (var i = 0; i < list.length; i += 2) {
      doc += list[i];
      m.set(doc, list[i + 1]);
    }
    return m;
  }

  /** Compares strings by code point, the order the index's terms are sorted in (in Rust). */
  function cmp(a, b) {
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x === y) continue;
      // A surrogate is part of a code point above every other code unit.
      var sx = x >= 0xD800 && x <= 0xDFFF;
      var sy = y >= 0xD800 && y <= 0xDFFF;
      if (sx !== sy) return sx ? 1 : -1;
      return x < y ? -1 : 1;
    }
    return a.length - b.length;
  }

  /** The JSON of an index file: gzip, opened here unless the host already did. */
  function unpack(buf) {
    var bytes = new Uint8Array(buf);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(JSON.parse(new TextDecoder().decode(bytes)));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  /**
   * Opens an index: `get(name)` fetches a file of the index's folder as an ArrayBuffer. Reads
   * the manifest and the delta; fragments and result data are fetched when a query needs them,
   * each once.
   */
  function open(get) {
    var files = new Map();
    function file(name) {
      if (!files.has(name)) {
        var p = get(name).then(unpack);
        p.catch(function () { files.delete(name); });
        files.set(name, p);
      }
      return files.get(name);
    }
    return file('manifest.gz').then(function (m) {
      return (m.delta ? file(m.delta) : Promise.resolve({})).then(function (delta) {
        var deltaKeys = Object.keys(delta).sort(cmp);
        return {
          m: m, opts: m.opts, n: m.n, file: file, delta: delta, deltaKeys: deltaKeys,
          firsts: m.terms.map(function (f) { return f[0]; }),
          loaded: new Map(), keys: new Map(), read: new Map()
        };
      });
    });
  }

  /** The number of the base fragment that holds term `t`, if any does. */
  function fragmentOf(ix, t) {
    var lo = 0;
    var hi = ix.firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(ix.firsts[mid], t) <= 0) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  /** The terms a query stands for, and the fragments that hold them: `[term, open]` pairs. */
  function wanted(ix, list, open, tagSlug) {
    var frags = new Set();
    var add = function (t) { if (ix.firsts.length) frags.add(fragmentOf(ix, t)); };
    list.forEach(function (t, i) {
      add(t);
      if (!open || i !== list.length - 1 || letters(t) < 2) return;
      // Terms that begin t: the fragments after t's while their first term still begins it.
      var f = fragmentOf(ix, t);
      for (var k = f + 1; k < ix.firsts.length && k <= f + 2 && ix.firsts[k].startsWith(t); k++) frags.add(k);
      // Terms that t begins (its heads).
      var chars = Array.from(t);
      for (var n = chars.length - 1; n > 0; n--) {
        var head = chars.slice(0, n).join('');
        if (letters(head) < 2) break;
        add(head);
      }
    });
    if (tagSlug) add('#' + tagSlug);
    return Array.from(frags);
  }

  /** Fetches (in parallel) the fragments a query needs; resolves when they are in. */
  function need(ix, q, tagSlug, typing) {
    var list = terms(q, ix.opts);
    var open = !!typing && /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q);
    return Promise.all(wanted(ix, list, open, tagSlug).map(function (k) {
      if (ix.loaded.has(k)) return null;
      return ix.file(ix.m.terms[k][1]).then(function (frag) { ix.loaded.set(k, frag); });
    }));
  }

  /** A loaded base fragment's terms, sorted. */
  function keysOf(ix, k) {
    if (!ix.keys.has(k)) ix.keys.set(k, Object.keys(ix.loaded.get(k) || {}).sort(cmp));
    return ix.keys.get(k);
  }

  function baseHas(ix, t) {
    var frag = ix.firsts.length ? ix.loaded.get(fragmentOf(ix, t)) : null;
    return frag ? own(frag, t) : false;
  }

  function has(ix, t) { return baseHas(ix, t) || own(ix.delta, t); }

  /** A term's postings, base and delta, as a doc → weight map (read once). */
  function get(ix, t) {
    if (!ix.read.has(t)) {
      var m = new Map();
      if (baseHas(ix, t)) postings(ix.loaded.get(fragmentOf(ix, t))[t], m);
      if (own(ix.delta, t)) postings(ix.delta[t], m);
      ix.read.set(t, m);
    }
    return ix.read.get(t);
  }

  /** Up to 64 terms that begin with `p`, from the loaded fragments and the delta. */
  function prefixed(ix, p) {
    var out = new Set();
    var from = function (keys) {
      var lo = 0;
      var hi = keys.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (cmp(keys[mid], p) < 0) lo = mid + 1; else hi = mid;
      }
      for (var i = lo; i < keys.length && keys[i].startsWith(p) && out.size < 64; i++) out.add(keys[i]);
    };
    if (ix.firsts.length) {
      var f = fragmentOf(ix, p);
      for (var k = f; k <= f + 2 && ix.loaded.has(k); k++) from(keysOf(ix, k));
    }
    from(ix.deltaKeys);
    return Array.from(out).sort(cmp).slice(0, 64);
  }

  /**
   * The index terms a query term stands for. While the reader is still typing the last word
   * (`open`), it also stands for the terms it begins (मर्को → मर्कोर) and for the longest term
   * that begins it (मर्कोरसो, half of मर्कोरसोबत, → मर्कोर). A finished query matches exactly:
   * the relevance test scored prefix matching of finished queries lower.
   */
  function expand(ix, t, open) {
    var out = has(ix, t) ? [t] : [];
    if (!open || letters(t) < 2) return out;
    prefixed(ix, t).forEach(function (k) { if (k !== t) out.push(k); });
    var chars = Array.from(t);
    for (var n = chars.length - 1; n > 0; n--) {
      var head = chars.slice(0, n).join('');
      if (letters(head) < 2) break;
      if (has(ix, head)) {
        out.push(head);
        break;
      }
    }
    return out;
  }

  /**
   * Ranks the stories that contain every query term (BM25-like: rarer terms count more, more
   * occurrences count less and less; a term reached by expansion counts half). When none has
   * them all, those with the most of them; ties newest first. `typing`: the query's last word
   * may be unfinished. The fragments must be in (`need`).
   */
  function search(ix, q, tagSlug, typing) {
    var list = terms(q, ix.opts);
    var open = !!typing && /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q);
    var qt = list.map(function (t, i) {
      return { t: t, alts: new Set(expand(ix, t, open && i === list.length - 1)) };
    });
    var n = ix.n;
    var tagged = tagSlug ? get(ix, '#' + tagSlug) : null;
    var allowed = function (d) { return !tagged || tagged.has(d); };
    var newest = function (a, b) { return b - a; };
    if (qt.length === 0) {
      return { docs: tagged ? Array.from(tagged.keys()).sort(newest) : [], terms: qt };
    }
    var scores = new Map();
    var counts = new Map();
    qt.forEach(function (q) {
      var best = new Map();
      q.alts.forEach(function (t) {
        var docs = get(ix, t);
        var idf = Math.log(1 + (n - docs.size + 0.5) / (docs.size + 0.5));
        var weight = t === q.t ? 1 : 0.5;
        docs.forEach(function (w, doc) {
          var s = weight * idf * (w * 2.2) / (w + 1.2);
          if (!best.has(doc) || best.get(doc) < s) best.set(doc, s);
        });
      });
      best.forEach(function (s, doc) {
        scores.set(doc, (scores.get(doc) || 0) + s);
        counts.set(doc, (counts.get(doc) || 0) + 1);
      });
    });
    var docs = Array.from(scores.keys()).filter(allowed);
    var most = 0;
    docs.forEach(function (d) { most = Math.max(most, counts.get(d)); });
    docs = docs.filter(function (d) { return counts.get(d) === most; });
    docs.sort(function (a, b) { return scores.get(b) - scores.get(a) || b - a; });
    return { docs: docs, terms: qt };
  }

  /** The result data of document `d`: `[title, url, date, summary]`, fetched with its chunk. */
  function doc(ix, d) {
    var m = ix.m;
    var k = Math.floor(d / m.chunk);
    var t = Math.floor(k / m.table);
    var name = t < m.tables.length
      ? ix.file(m.tables[t]).then(function (table) { return table[k % m.table]; })
      : Promise.resolve(m.recent[k - m.tables.length * m.table]);
    return name.then(ix.file).then(function (chunk) { return chunk[d % m.chunk]; });
  }

  /** Whether a piece of text holds a word that matches the query, remembered per piece. */
  function matcher(qt, opts) {
    var seen = new Map();
    // A word can only match when it has the first letter of a matching term: most words of
    // a story are ruled out by that alone, without being analysed.
    var firsts = new Set();
    qt.forEach(function (q) {
      q.alts.forEach(function (t) { firsts.add(Array.from(t)[0]); });
    });
    if (firsts.has('ॲ') || firsts.has('ऑ')) firsts.add('अ');
    function possible(text) {
      for (var c of text) {
        var cp = c.codePointAt(0);
        if (cp >= 0x0966 && cp <= 0x096F) c = String(cp - 0x0966);
        if (firsts.has(NUKTA_LETTERS[c] || c.toLowerCase())) return true;
      }
      return false;
    }
    return function (text) {
      if (!seen.has(text)) {
        seen.set(text, possible(text) && terms(text, opts).some(function (t) {
          return qt.some(function (q) { return q.alts.has(t); });
        }));
      }
      return seen.get(text);
    };
  }

  // --- The page.

  var RUN = /[^\s\u0964\u0965()[\]{}"“”;:!?—–/|]+/gu;
  var EDGE = /^[.,'‘’-]+|[.,'‘’-]+$/gu;
  // Results shown at once: each needs its chunk of result data (about 2 KB) fetched.
  var SHOW = 10;
  var EXCERPTS = 10;
  var EXCERPT = 260;

  /** Appends `text` to `el`, wrapping the words that match in <mark>; returns whether any did. */
  function markInto(el, text, matches) {
    var last = 0;
    var any = false;
    text.replace(RUN, function (run, at) {
      var word = run.replace(EDGE, '');
      if (word === '' || !matches(word)) return run;
      var start = at + run.indexOf(word);
      el.append(text.slice(last, start));
      var m = document.createElement('mark');
      m.textContent = word;
      el.append(m);
      last = start + word.length;
      any = true;
      return run;
    });
    el.append(text.slice(last));
    return any;
  }

  /** A window of `text` around its first match, or null when nothing in it matches. */
  function excerpt(text, matches) {
    text = text.replace(/\s+/g, ' ').trim();
    var found = -1;
    text.replace(RUN, function (run, at) {
      if (found < 0 && matches(run.replace(EDGE, ''))) found = at;
      return run;
    });
    if (found < 0) return null;
    if (text.length <= EXCERPT) return text;
    var start = Math.max(0, found - 80);
    if (start > 0) start = Math.min(text.indexOf(' ', start) + 1 || found, found);
    var end = Math.min(text.length, start + EXCERPT);
    if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), found + 1);
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  // Tags that end a run of text; other tags (a, em, strong) sit inside words and vanish.
  var BLOCK_TAG = new RegExp('</?(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|' +
    'figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul)\\b[^>]*>', 'gi');
  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

  /** Decodes character references in text taken out of HTML. */
  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (all, name) {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] || all;
      var code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10FFFF ? String.fromCodePoint(code) : all;
    });
  }

  /** `n` in the digits the edition shows its dates in (Intl would cost a slow phone ICU data). */
  function digits(n, ix) {
    var s = String(n);
    if (!ix.m.native) return s;
    return s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0966 + +d); });
  }

  function init() {
    var form = document.getElementById('search-form');
    var results = document.getElementById('search-results');
    if (!form || !results || !window.fetch) return;
    var input = form.elements.q;
    var select = form.elements.tag;
    var status = document.getElementById('search-status');
    var fallback = document.getElementById('search-failed');
    var loading = null;
    var generation = 0;
    var bodies = new Map();

    function load() {
      if (!loading) {
        var dir = form.dataset.index.replace(/[^/]*$/, '');
        loading = open(function (name) {
          return fetch(dir + name).then(function (r) {
            if (!r.ok) throw new Error(r.status);
            return r.arrayBuffer();
          });
        });
        loading.catch(function () {
          if (fallback) fallback.hidden = false;
        });
      }
      return loading;
    }

    function bodyText(url) {
      if (!bodies.has(url)) {
        bodies.set(url, fetch(url).then(function (r) { return r.ok ? r.text() : ''; })
          .then(function (html) {
            // The story's body as text, without building a DOM: cheap on a slow phone. The
            // text only ever goes into the page as text.
            var start = html.indexOf('<div class="story-body">');
            if (start < 0) start = html.indexOf('<main');
            var end = html.indexOf('</article>', start);
            if (end < 0) end = html.indexOf('</main>', start);
            if (start < 0 || end < 0) return '';
            return decode(html.slice(start, end)
              .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
              .replace(BLOCK_TAG, ' ')
              .replace(/<[^>]*>/g, ''));
          })
          .catch(function () { return ''; }));
      }
      return bodies.get(url);
    }

    function syncUrl(q, tag) {
      var params = new URLSearchParams();
      if (q) params.set('q', q);
      if (tag) params.set('tag', tag);
      var s = params.toString();
      history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
    }

    /** The list items of results `ds` (document numbers), once their data is in. */
    function items(ix, ds, found, matches, mine) {
      var pending = [];
      return Promise.all(ds.map(function (d) { return doc(ix, d); })).then(function (data) {
        var lis = data.map(function (doc, i) {
          var li = document.createElement('li');
          var h = document.createElement('h2');
          h.className = 'result-title';
          var a = document.createElement('a');
          a.href = doc[1];
          var inTitle = markInto(a, doc[0], matches);
          h.append(a);
          var meta = document.createElement('p');
          meta.className = 'meta';
          meta.textContent = doc[2];
          var summary = document.createElement('p');
          summary.className = 'summary';
          var text = excerpt(doc[3], matches);
          markInto(summary, text || doc[3], matches);
          li.append(h, meta, summary);
          if (!text && !inTitle && found.terms.length && i < EXCERPTS) {
            // The match is in the story's body: show where, once the page has been read.
            pending.push(bodyText(doc[1]).then(function (body) {
              var better = body && excerpt(body, matches);
              if (!better || mine !== generation) return;
              summary.replaceChildren();
              markInto(summary, better, matches);
            }));
          }
          return li;
        });
        // The list goes in once its excerpts are there (or after a short wait), so that it
        // does not move under the reader's eyes.
        var wait = new Promise(function (resolve) { setTimeout(resolve, 400); });
        return Promise.race([Promise.all(pending), wait]).then(function () { return lis; });
      });
    }

    function show(ix, q, tag, typing, mine) {
      var found = search(ix, q, tag, typing);
      var count = found.docs.length;
      var matches = matcher(found.terms, ix.opts);
      var ol = document.createElement('ol');
      var more = document.createElement('button');
      more.type = 'button';
      more.className = 'search-more';
      more.textContent = form.dataset.more;
      var shown = 0;
      function next() {
        var ds = found.docs.slice(shown, shown + SHOW);
        shown += ds.length;
        return items(ix, ds, found, matches, mine).then(function (lis) {
          if (mine !== generation) return;
          ol.append.apply(ol, lis);
          more.hidden = shown >= count;
        });
      }
      more.addEventListener('click', function () { more.disabled = true; next().then(function () { more.disabled = false; }); });
      next().then(function () {
        if (mine !== generation) return;
        status.textContent = count === 0 ? form.dataset.none
          : (count === 1 ? form.dataset.one : form.dataset.other)
            .replace('{n}', digits(count, ix));
        results.replaceChildren();
        if (count) results.append(ol, more);
      });
    }

    function run(typing) {
      var q = input.value;
      var tag = select ? select.value : '';
      syncUrl(q, tag);
      if (q.trim() === '' && !tag) {
        generation++;
        results.replaceChildren();
        status.textContent = '';
        return;
      }
      var mine = ++generation;
      load().then(function (ix) {
        return need(ix, q, tag, typing === true).then(function () {
          if (mine === generation) show(ix, q, tag, typing === true, mine);
        });
      }).catch(function () {
        if (fallback) fallback.hidden = false;
      });
    }

    var timer = 0;
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(run, 120, true);
    }

    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    if (select) {
      var wanted = params.get('tag') || '';
      select.value = Array.from(select.options).some(function (o) { return o.value === wanted; })
        ? wanted : '';
      select.addEventListener('change', function () { run(false); });
    }
    input.addEventListener('input', soon);
    input.addEventListener('focus', load, { once: true });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run(false);
    });
    if (input.value || (select && select.value)) run(false);
  }

  var api = {
    normalize: normalize, words: words, term: term, terms: terms, stem: stem, fold: fold,
    numbers: numbers, cmp: cmp, open: open, need: need, search: search, doc: doc
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }
})();
