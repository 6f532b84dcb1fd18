//! The words the corpus is made of: each entry holds its Marathi forms beside its English
//! meaning, so a sentence is chosen once and written in both languages.
//!
//! Marathi past-tense verbs with `-ने`/`-नी` subjects agree with their object's gender
//! (`योजना जाहीर केली`, `करार जाहीर केला`, `धोरण जाहीर केले`), and so do the adjectives
//! before it (`नवी योजना`, `नवा करार`, `नवे धोरण`): nouns carry a gender, adjectives and
//! verbs one form per gender.

/// Grammatical gender of a Marathi noun; the index into `[masculine, feminine, neuter]`.
#[derive(Clone, Copy)]
pub enum G {
    M = 0,
    F = 1,
    N = 2,
}

/// A thing announced, launched, approved: the object of most sentences.
pub struct Noun {
    pub mr: &'static str,
    pub g: G,
    pub en: &'static str,
}

const fn n(mr: &'static str, g: G, en: &'static str) -> Noun {
    Noun { mr, g, en }
}

pub const NOUNS: &[Noun] = &[
    n("करार", G::M, "agreement"),
    n("अहवाल", G::M, "report"),
    n("प्रकल्प", G::M, "project"),
    n("उपक्रम", G::M, "initiative"),
    n("प्रस्ताव", G::M, "proposal"),
    n("आराखडा", G::M, "blueprint"),
    n("अभ्यासक्रम", G::M, "course"),
    n("निधी", G::M, "fund"),
    n("कार्यक्रम", G::M, "programme"),
    n("योजना", G::F, "scheme"),
    n("मोहीम", G::F, "campaign"),
    n("भरती", G::F, "recruitment drive"),
    n("स्पर्धा", G::F, "competition"),
    n("चाचणी", G::F, "trial"),
    n("यंत्रणा", G::F, "system"),
    n("सवलत", G::F, "concession"),
    n("शिष्यवृत्ती", G::F, "scholarship"),
    n("परिषद", G::F, "conference"),
    n("भागीदारी", G::F, "partnership"),
    n("सेवा", G::F, "service"),
    n("प्रयोगशाळा", G::F, "laboratory"),
    n("धोरण", G::N, "policy"),
    n("अभियान", G::N, "mission"),
    n("केंद्र", G::N, "centre"),
    n("संकेतस्थळ", G::N, "website"),
    n("प्रदर्शन", G::N, "exhibition"),
    n("वेळापत्रक", G::N, "timetable"),
    n("सर्वेक्षण", G::N, "survey"),
    n("ॲप", G::N, "app"),
    n("अनुदान", G::N, "grant"),
    n("व्यासपीठ", G::N, "platform"),
];

/// Objects that go with the technology tags (chosen more often in their stories).
pub const TECH_NOUNS: &[Noun] = &[
    n("भाषा मॉडेल", G::N, "language model"),
    n("डेटा केंद्र", G::N, "data centre"),
    n("संशोधन पथक", G::N, "research team"),
    n("चिप", G::F, "chip"),
    n("गुंतवणूक", G::F, "investment"),
    n("प्रयोगशाळा", G::F, "lab"),
    n("करार", G::M, "deal"),
    n("प्रकल्प", G::M, "project"),
    n("संगणक समूह", G::M, "compute cluster"),
];

/// An adjective: Marathi forms for `[M, F, N]` (the same thrice for the invariable kind).
pub struct Adj {
    pub mr: [&'static str; 3],
    pub en: &'static str,
}

const fn a3(m: &'static str, f: &'static str, nt: &'static str, en: &'static str) -> Adj {
    Adj { mr: [m, f, nt], en }
}

const fn a1(mr: &'static str, en: &'static str) -> Adj {
    Adj {
        mr: [mr, mr, mr],
        en,
    }
}

pub const ADJS: &[Adj] = &[
    a3("नवा", "नवी", "नवे", "new"),
    a3("मोठा", "मोठी", "मोठे", "major"),
    a3("पहिला", "पहिली", "पहिले", "first"),
    a3("महत्त्वाचा", "महत्त्वाची", "महत्त्वाचे", "key"),
    a3("वेगळा", "वेगळी", "वेगळे", "separate"),
    a3("छोटा", "छोटी", "छोटे", "small"),
    a3("खुला", "खुली", "खुले", "open"),
    a1("सुधारित", "revised"),
    a1("डिजिटल", "digital"),
    a1("राष्ट्रीय", "national"),
    a1("स्थानिक", "local"),
    a1("दीर्घकालीन", "long-term"),
    a1("सार्वजनिक", "public"),
    a1("आंतरराष्ट्रीय", "international"),
    a1("प्रायोगिक", "pilot"),
    a1("महत्त्वाकांक्षी", "ambitious"),
    a1("संयुक्त", "joint"),
];

/// A verb of the `<word> केला / केली / केले` kind.
pub struct Verb {
    /// The part before `केला`; alone it makes a headline (`... योजना जाहीर`).
    pub mr: &'static str,
    pub past: &'static str,
    /// Present tense for a singular and a plural subject, for headlines.
    pub now: &'static str,
    pub now_pl: &'static str,
}

const fn v(mr: &'static str, past: &'static str, now: &'static str, pl: &'static str) -> Verb {
    Verb {
        mr,
        past,
        now,
        now_pl: pl,
    }
}

pub const VERBS: &[Verb] = &[
    v("जाहीर", "announced", "announces", "announce"),
    v("सुरू", "launched", "launches", "launch"),
    v("सादर", "presented", "presents", "present"),
    v("मंजूर", "approved", "approves", "approve"),
    v("लागू", "put in place", "puts in place", "put in place"),
    v("रद्द", "cancelled", "cancels", "cancel"),
    v("स्थगित", "put on hold", "puts on hold", "put on hold"),
    v("तयार", "drew up", "draws up", "draw up"),
    v("पूर्ण", "completed", "completes", "complete"),
    v("विस्तारित", "expanded", "expands", "expand"),
];

/// Marathi `केला / केली / केले` by gender.
pub const KELA: [&str; 3] = ["केला", "केली", "केले"];

/// Who does things. `obl` is the oblique stem: `+ने`/`+नी` (agent), `+कडून` (by),
/// `+चा/ची/चे` (of).
pub struct Agent {
    pub obl: &'static str,
    pub plural: bool,
    /// Lower case where English would write it so mid-sentence.
    pub en: &'static str,
}

const fn ag(obl: &'static str, plural: bool, en: &'static str) -> Agent {
    Agent { obl, plural, en }
}

pub const AGENTS: &[Agent] = &[
    ag("महापालिके", false, "the municipal corporation"),
    ag("राज्य सरकार", false, "the state government"),
    ag("केंद्र सरकार", false, "the Union government"),
    ag("विद्यापीठा", false, "the university"),
    ag("संशोधकां", true, "researchers"),
    ag("कंपनी", false, "the company"),
    ag("पोलिसां", true, "the police"),
    ag("जिल्हा परिषदे", false, "the zilla parishad"),
    ag("नवउद्योजकां", true, "startup founders"),
    ag("ग्रामपंचायती", false, "the gram panchayat"),
    ag("शिक्षण मंडळा", false, "the education board"),
    ag("बँके", false, "the bank"),
    ag("रेल्वे प्रशासना", false, "the railway administration"),
    ag("आरोग्य विभागा", false, "the health department"),
    ag("विद्यार्थ्यां", true, "students"),
];

/// The three tags the default site is about, as agents; their tag names are the keys.
pub const ENTITIES: &[(&str, Agent)] = &[
    ("Meta", ag("मेटा", false, "Meta")),
    ("Scale AI", ag("स्केल एआय", false, "Scale AI")),
    ("MSL", ag("एमएसएल", false, "MSL")),
];

/// A place: Marathi locative (`पुण्यात`, "in Pune"), Marathi name, English name, and the
/// tag a story set there gets, if any.
pub struct Place {
    pub loc: &'static str,
    pub name: &'static str,
    pub en: &'static str,
    pub tag: Option<&'static str>,
}

const fn p(loc: &'static str, name: &'static str, en: &'static str) -> Place {
    Place {
        loc,
        name,
        en,
        tag: None,
    }
}

pub const PLACES: &[Place] = &[
    Place {
        tag: Some("मुंबई"),
        ..p("मुंबईत", "मुंबई", "Mumbai")
    },
    Place {
        tag: Some("पुणे"),
        ..p("पुण्यात", "पुणे", "Pune")
    },
    Place {
        tag: Some("नागपूर"),
        ..p("नागपुरात", "नागपूर", "Nagpur")
    },
    p("नाशिकमध्ये", "नाशिक", "Nashik"),
    p("कोल्हापुरात", "कोल्हापूर", "Kolhapur"),
    p("ठाण्यात", "ठाणे", "Thane"),
    p("सोलापुरात", "सोलापूर", "Solapur"),
    p("रत्नागिरीत", "रत्नागिरी", "Ratnagiri"),
    p("अमरावतीत", "अमरावती", "Amravati"),
    p("लातूरमध्ये", "लातूर", "Latur"),
    p("बंगळुरूमध्ये", "बंगळुरू", "Bengaluru"),
    p("दिल्लीत", "दिल्ली", "Delhi"),
    p("कॅलिफोर्नियात", "कॅलिफोर्निया", "California"),
];

/// When: Marathi, English (lower case).
pub const TIMES: &[(&str, &str)] = &[
    ("सोमवारी", "on Monday"),
    ("मंगळवारी", "on Tuesday"),
    ("बुधवारी", "on Wednesday"),
    ("गुरुवारी", "on Thursday"),
    ("शुक्रवारी", "on Friday"),
    ("शनिवारी", "on Saturday"),
    ("आज सकाळी", "this morning"),
    ("काल संध्याकाळी", "yesterday evening"),
    ("गेल्या आठवड्यात", "last week"),
    ("या महिन्याच्या सुरुवातीला", "earlier this month"),
    ("दिवाळीपूर्वी", "before Diwali"),
    ("पावसाळ्याआधी", "ahead of the monsoon"),
];

/// For whom.
pub const FOR: &[(&str, &str)] = &[
    ("विद्यार्थ्यांसाठी", "for students"),
    ("शेतकऱ्यांसाठी", "for farmers"),
    ("लघु उद्योगांसाठी", "for small businesses"),
    ("ज्येष्ठ नागरिकांसाठी", "for senior citizens"),
    ("प्रवाशांसाठी", "for commuters"),
    ("स्थानिक विकसकांसाठी", "for local developers"),
    ("महिला बचत गटांसाठी", "for women's self-help groups"),
    ("रुग्णांसाठी", "for patients"),
];

/// Who said so: Marathi agent form, English.
pub const SPEAKERS: &[(&str, &str)] = &[
    ("प्रवक्त्यांनी", "a spokesperson"),
    ("एका वरिष्ठ अधिकाऱ्याने", "a senior official"),
    ("तज्ज्ञांनी", "experts"),
    ("संचालकांनी", "the director"),
    ("आयुक्तांनी", "the commissioner"),
    ("प्रकल्पप्रमुखांनी", "the project lead"),
];

/// What will happen to a thing; the Marathi does not change with gender.
pub const OUTLOOK: &[(&str, &str)] = &[
    ("लवकरच सुरू होईल", "will start soon"),
    ("पुढील वर्षी पूर्ण होईल", "will be completed next year"),
    ("अद्याप प्रलंबित आहे", "is still pending"),
    ("चर्चेत आहे", "is under discussion"),
    ("मार्चपर्यंत लागू होईल", "will take effect by March"),
    ("येत्या सहा महिन्यांत सुरू होईल", "will begin within six months"),
];

/// How people feel, among whom, about what.
pub const FEELINGS: &[(&str, &str)] = &[
    ("उत्सुकता", "curiosity"),
    ("नाराजी", "displeasure"),
    ("समाधान", "satisfaction"),
    ("संभ्रम", "confusion"),
    ("अस्वस्थता", "unease"),
];

pub const GROUPS: &[(&str, &str)] = &[
    ("नागरिकांमध्ये", "residents"),
    ("व्यापाऱ्यांमध्ये", "traders"),
    ("विद्यार्थ्यांमध्ये", "students"),
    ("कर्मचाऱ्यांमध्ये", "employees"),
    ("गुंतवणूकदारांमध्ये", "investors"),
];

pub const TOPICS: &[(&str, &str)] = &[
    ("या निर्णयाबद्दल", "the decision"),
    ("नव्या नियमांबद्दल", "the new rules"),
    ("या कराराबद्दल", "the agreement"),
    ("दरवाढीबद्दल", "the price rise"),
    ("बदललेल्या वेळापत्रकाबद्दल", "the changed timetable"),
];

/// After a colon in a headline.
pub const REMARKS: &[(&str, &str)] = &[
    ("पुढे काय?", "what next?"),
    ("पाच मुद्दे", "five key points"),
    ("प्रश्न आणि उत्तरे", "questions and answers"),
    ("आतापर्यंत काय घडले", "what has happened so far"),
];

pub const HEADINGS: &[(&str, &str)] = &[
    ("पार्श्वभूमी", "Background"),
    ("पुढे काय?", "What next?"),
    ("आकडेवारी", "The numbers"),
    ("प्रतिक्रिया", "Reactions"),
    ("तज्ज्ञांचे मत", "What experts say"),
    ("स्थानिक परिणाम", "Local impact"),
    ("खर्च किती?", "What it costs"),
    ("वेळापत्रक", "Timeline"),
];

/// Bylines: Marathi, English.
pub const AUTHORS: &[(&str, &str)] = &[
    ("प्रिया देशपांडे", "Priya Deshpande"),
    ("अमोल कुलकर्णी", "Amol Kulkarni"),
    ("स्नेहा पाटील", "Sneha Patil"),
    ("राहुल जोशी", "Rahul Joshi"),
    ("मधुरा गोखले", "Madhura Gokhale"),
    ("सचिन शिंदे", "Sachin Shinde"),
    ("वैशाली भोसले", "Vaishali Bhosale"),
    ("निखिल पवार", "Nikhil Pawar"),
    ("अश्विनी काळे", "Ashwini Kale"),
    ("ओंकार जाधव", "Omkar Jadhav"),
    ("बातमी प्रतिनिधी", "Batmi correspondent"),
];

/// Tags besides the three big ones, most used first: Devanagari and ASCII names mixed,
/// as a Marathi newsroom writes them.
pub const TAGS: &[&str] = &[
    "तंत्रज्ञान",
    "AI",
    "राजकारण",
    "अर्थकारण",
    "Startups",
    "शिक्षण",
    "आरोग्य",
    "Open Source",
    "क्रीडा",
    "शेती",
    "Cloud",
    "हवामान",
    "Policy",
    "संस्कृती",
    "Chips",
    "Privacy",
    "Research",
    "Rust",
];

/// Display names of every tag in each language, for config.toml: (tag, mr, en).
pub const TAG_NAMES: &[(&str, &str, &str)] = &[
    ("Meta", "मेटा", "Meta"),
    ("Scale AI", "स्केल एआय", "Scale AI"),
    ("MSL", "एमएसएल", "MSL"),
    ("AI", "कृत्रिम बुद्धिमत्ता", "AI"),
    ("Startups", "स्टार्टअप", "Startups"),
    ("मुंबई", "मुंबई", "Mumbai"),
    ("पुणे", "पुणे", "Pune"),
    ("नागपूर", "नागपूर", "Nagpur"),
    ("तंत्रज्ञान", "तंत्रज्ञान", "Technology"),
    ("राजकारण", "राजकारण", "Politics"),
    ("अर्थकारण", "अर्थकारण", "Economy"),
    ("शिक्षण", "शिक्षण", "Education"),
    ("आरोग्य", "आरोग्य", "Health"),
    ("Open Source", "मुक्त स्रोत", "Open Source"),
    ("क्रीडा", "क्रीडा", "Sport"),
    ("शेती", "शेती", "Farming"),
    ("Cloud", "क्लाउड", "Cloud"),
    ("हवामान", "हवामान", "Weather"),
    ("Policy", "धोरण", "Policy"),
    ("संस्कृती", "संस्कृती", "Culture"),
    ("Chips", "चिप", "Chips"),
    ("Privacy", "गोपनीयता", "Privacy"),
    ("Research", "संशोधन", "Research"),
    ("Rust", "रस्ट", "Rust"),
];

/// Alt texts of the lead images: Marathi, English.
pub const IMAGE_ALTS: &[(&str, &str)] = &[
    ("बातमीसाठी प्रतीकात्मक चित्र", "An illustration for the story"),
    ("आकडेवारी दाखवणारा स्तंभालेख", "A bar chart of the figures"),
    (
        "रंगीत पट्ट्यांचे प्रतीकात्मक चित्र",
        "Coloured bands, an illustration",
    ),
];

/// Names used in code samples.
pub const CODE_NAMES: &[&str] = &[
    "bus_routes",
    "ward_budget",
    "exam_results",
    "rainfall",
    "tickets",
    "grants",
    "water_supply",
    "clinic_visits",
];

/// Comments in code samples: Marathi, English.
pub const CODE_COMMENTS: &[(&str, &str)] = &[
    (
        "मर्यादेपेक्षा मोठ्या नोंदींची बेरीज",
        "sum of the rows above the limit",
    ),
    ("प्रत्येक प्रभागाची एकूण रक्कम", "the total for each ward"),
    ("रिकाम्या नोंदी वगळा", "skip empty rows"),
    ("आकडे जिल्ह्यानुसार", "figures by district"),
];
