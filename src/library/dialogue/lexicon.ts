/**
 * Word lists the dialogue layer reads: speech verbs, honorifics, pronouns and the capitalised
 * words that are never characters. Plain data, no logic beyond lookups.
 */

export type Gender = 'male' | 'female' | 'unknown';

/** Verbs that introduce speech (or voiced thought), in the forms tags use: past, present, -ing. */
const SPEECH_VERB_STEMS = [
  'say',
  'said',
  'says',
  'saying',
  'ask',
  'answer',
  'reply',
  'replied',
  'replies',
  'cry',
  'cried',
  'cries',
  'exclaim',
  'shout',
  'call',
  'whisper',
  'mutter',
  'murmur',
  'continue',
  'add',
  'repeat',
  'return',
  'rejoin',
  'retort',
  'observe',
  'remark',
  'respond',
  'explain',
  'declare',
  'demand',
  'inquire',
  'enquire',
  'insist',
  'interrupt',
  'interpose',
  'protest',
  'scream',
  'shriek',
  'yell',
  'growl',
  'snap',
  'snapped',
  'snaps',
  'sigh',
  'laugh',
  'sob',
  'sobbed',
  'sobs',
  'groan',
  'moan',
  'hiss',
  'gasp',
  'grumble',
  'grunt',
  'snarl',
  'bark',
  'roar',
  'begin',
  'began',
  'begins',
  'urge',
  'plead',
  'beg',
  'begged',
  'begs',
  'suggest',
  'agree',
  'admit',
  'announce',
  'assure',
  'concede',
  'confess',
  'conclude',
  'counter',
  'whimper',
  'stammer',
  'stutter',
  'drawl',
  'purr',
  'chuckle',
  'giggle',
  'smile',
  'grin',
  'grinned',
  'grins',
  'nod',
  'nodded',
  'nods',
  'breathe',
  'tell',
  'told',
  'tells',
  'think',
  'thought',
  'thinks',
  'write',
  'wrote',
  'writes',
  'read',
  'reads',
  'warn',
  'pronounce',
  'persist',
  'resume',
  'proceed',
  'pursue',
  'venture',
  'hazard',
  'object',
  'correct',
  'prompt',
  'mumble',
  'bellow',
  'howl',
  'wail',
  'sneer',
  'scoff',
  'tease',
  'joke',
  'quip',
  'offer',
  'accuse',
  'command',
  'order',
  'instruct',
  'inform',
  'sing',
  'sang',
  'sings',
  'recite',
  'note',
  'point',
  'comment',
  'reason',
  'query',
  'queried',
  'queries',
  'chime',
  'speak',
  'spoke',
  'speaks',
  'go',
  'went',
  'goes',
  'shrug',
  'shrugged',
  'shrugs',
  'address',
  'entreat',
  'exclaim',
  'interpose',
  'cry out',
  'muse',
  'wonder',
  'observe',
  'rejoin',
  'reply',
  'sneer',
  'stammer',
  'soothe',
  'jeer',
  'taunt',
  'falter',
  'faltered',
  'vow',
  'swear',
  'swore',
  'lie',
  'lied',
  'predict',
  'remind',
  'cut in',
  'interject',
  'ejaculate',
  'expostulate',
  'remonstrate',
  'assent',
  'whine',
  'snort',
  'simper',
  'lisp',
  'blurt',
  'croak',
  'coax',
] as const;

function inflections(stem: string): string[] {
  if (/(?:ed|s|ing)$/.test(stem) && !/(?:ss|us)$/.test(stem) && stem !== 'begs' && stem.length > 4)
    return [stem];
  const forms = [stem];
  if (stem.endsWith('e')) forms.push(`${stem}d`, `${stem}s`, `${stem.slice(0, -1)}ing`);
  else if (/[^aeiou]y$/.test(stem))
    forms.push(`${stem.slice(0, -1)}ied`, `${stem.slice(0, -1)}ies`, `${stem}ing`);
  else if (/(?:sh|ch|ss|x)$/.test(stem)) forms.push(`${stem}ed`, `${stem}es`, `${stem}ing`);
  else forms.push(`${stem}ed`, `${stem}s`, `${stem}ing`);
  return forms;
}

export const SPEECH_VERBS: ReadonlySet<string> = new Set(SPEECH_VERB_STEMS.flatMap(inflections));

/** Verbs too ambiguous to tag speech on their own after a full stop ("She smiled."): beats, not tags. */
export const WEAK_SPEECH_VERBS: ReadonlySet<string> = new Set([
  'smiled',
  'smiles',
  'grinned',
  'grins',
  'nodded',
  'nods',
  'laughed',
  'laughs',
  'sighed',
  'sighs',
  'shrugged',
  'shrugs',
  'went',
  'goes',
  'pointed',
  'points',
  'read',
  'reads',
  'wrote',
  'writes',
  'returned',
  'returns',
  'offered',
  'offers',
  'ordered',
  'orders',
  'objected',
  'noted',
  'reasoned',
  'corrected',
  'began',
  'begins',
  'thought',
  'thinks',
  'sang',
  'sings',
  'spoke',
  'speaks',
  'told',
  'tells',
]);

/** Honorifics and titles, lower-cased without the full stop, with the gender they imply. */
export const HONORIFICS: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['mr', 'male'],
  ['mister', 'male'],
  ['sir', 'male'],
  ['lord', 'male'],
  ['colonel', 'male'],
  ['col', 'male'],
  ['captain', 'male'],
  ['capt', 'male'],
  ['major', 'male'],
  ['general', 'male'],
  ['admiral', 'male'],
  ['uncle', 'male'],
  ['father', 'male'],
  ['brother', 'male'],
  ['monsieur', 'male'],
  ['m', 'male'],
  ['herr', 'male'],
  ['count', 'male'],
  ['baron', 'male'],
  ['prince', 'male'],
  ['king', 'male'],
  ['duke', 'male'],
  ['rev', 'male'],
  ['reverend', 'male'],
  ['mrs', 'female'],
  ['miss', 'female'],
  ['ms', 'female'],
  ['lady', 'female'],
  ['madame', 'female'],
  ['mme', 'female'],
  ['mademoiselle', 'female'],
  ['mlle', 'female'],
  ['madam', 'female'],
  ['aunt', 'female'],
  ['sister', 'female'],
  ['mother', 'female'],
  ['dame', 'female'],
  ['queen', 'female'],
  ['princess', 'female'],
  ['duchess', 'female'],
  ['countess', 'female'],
  ['baroness', 'female'],
  ['frau', 'female'],
  ['fraulein', 'female'],
  ['signor', 'male'],
  ['signora', 'female'],
  ['signorina', 'female'],
  ['dr', 'unknown'],
  ['doctor', 'unknown'],
  ['professor', 'unknown'],
  ['prof', 'unknown'],
  ['inspector', 'unknown'],
  ['sergeant', 'unknown'],
  ['judge', 'unknown'],
  ['nurse', 'female'],
  ['agent', 'unknown'],
  ['detective', 'unknown'],
  ['officer', 'unknown'],
]);

/**
 * Titles written after a name, with the gender they imply. "Hamidullah Begum" is Hamidullah's
 * wife, not Hamidullah: such a name is its own person.
 */
export const TRAILING_TITLES: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['Begum', 'female'],
  ['Sahib', 'male'],
  ['Effendi', 'male'],
  ['Pasha', 'male'],
]);

export const PRONOUN_GENDER: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['he', 'male'],
  ['him', 'male'],
  ['his', 'male'],
  ['himself', 'male'],
  ['she', 'female'],
  ['her', 'female'],
  ['hers', 'female'],
  ['herself', 'female'],
]);

/** Common nouns an epithet tag may use ("the old man said"), with their gender when they imply one. */
export const EPITHET_GENDER: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['man', 'male'],
  ['boy', 'male'],
  ['gentleman', 'male'],
  ['fellow', 'male'],
  ['husband', 'male'],
  ['father', 'male'],
  ['papa', 'male'],
  ['dad', 'male'],
  ['brother', 'male'],
  ['son', 'male'],
  ['uncle', 'male'],
  ['king', 'male'],
  ['prince', 'male'],
  ['lord', 'male'],
  ['sir', 'male'],
  ['lad', 'male'],
  ['priest', 'male'],
  ['grandfather', 'male'],
  ['grandpapa', 'male'],
  ['grandpa', 'male'],
  ['nephew', 'male'],
  ['widower', 'male'],
  ['duke', 'male'],
  ['baron', 'male'],
  ['marquis', 'male'],
  ['emperor', 'male'],
  ['landlord', 'male'],
  ['monk', 'male'],
  ['woman', 'female'],
  ['girl', 'female'],
  ['lady', 'female'],
  ['wife', 'female'],
  ['mother', 'female'],
  ['mamma', 'female'],
  ['mama', 'female'],
  ['mum', 'female'],
  ['mom', 'female'],
  ['sister', 'female'],
  ['daughter', 'female'],
  ['aunt', 'female'],
  ['queen', 'female'],
  ['princess', 'female'],
  ['widow', 'female'],
  ['maid', 'female'],
  ['goddess', 'female'],
  ['grandmother', 'female'],
  ['grandmamma', 'female'],
  ['grandmama', 'female'],
  ['grandma', 'female'],
  ['granny', 'female'],
  ['niece', 'female'],
  ['duchess', 'female'],
  ['countess', 'female'],
  ['baroness', 'female'],
  ['marchioness', 'female'],
  ['empress', 'female'],
  ['landlady', 'female'],
  ['nun', 'female'],
  ['governess', 'female'],
  ['matron', 'female'],
  ['actress', 'female'],
  ['mage', 'unknown'],
  ['vampire', 'unknown'],
  ['doctor', 'unknown'],
  ['stranger', 'unknown'],
  ['other', 'unknown'],
  ['child', 'unknown'],
  ['servant', 'unknown'],
  ['guard', 'unknown'],
  ['slayer', 'unknown'],
  ['demon', 'unknown'],
  ['officer', 'unknown'],
  ['visitor', 'unknown'],
  ['host', 'unknown'],
  ['hostess', 'female'],
  ['driver', 'unknown'],
  ['clerk', 'unknown'],
]);

/**
 * Nationalities and creeds as nouns ("an Englishwoman", "the Indians", "a Hindu"): a description
 * of someone, never their name. A speech tag can still make one an epithet speaker ("said the
 * Frenchman"). Words that are also surnames ("Pole", "English") or a character's usual epithet
 * standing for a name are left out.
 */
const DEMONYMS = `Englishman Englishmen Englishwoman Englishwomen Frenchman Frenchmen Frenchwoman Frenchwomen
  Irishman Irishmen Irishwoman Scotchman Scotchmen Scotsman Scotsmen Welshman Welshmen Dutchman Dutchmen
  Spaniard Spaniards Italians Americans Germans Russians Poles Greeks Romans Indians Europeans European
  Orientals Oriental Asiatic Asiatics Africans Eurasian Eurasians Anglo-Indian Anglo-Indians Hindu Hindus
  Moslem Moslems Muslim Muslims Mohammedan Mohammedans Parsee Parsees Sikh Sikhs Christians Yankee Yankees
  Southerner Southerners Northerner Northerners`.split(/\s+/);

/**
 * Words that are common first names as well as a modal or a month ("Will", "May", "June"): names,
 * except where the sentence makes them the other word (cast.ts: modalOrDateAt). Aunt May, Will
 * Byers and May Welland speak; "May I?" and "in June" do not.
 */
export const GIVEN_NAME_WORDS: ReadonlySet<string> = new Set(['Will', 'May', 'April', 'June', 'August']);

/** Capitalised words that are never a character's name on their own. */
export const NOT_NAMES: ReadonlySet<string> = new Set(
  `I I'm I'll I've I'd Me My Mine Myself We Us Our You Your Yours He Him His She Her Hers They Them Their It Its
  The A An And But Or Nor For So Yet If Then Than That This These Those There Here Where When Why How What Who Whom
  Which Whose While As At By In Into On Onto Of Off Out Over Under Up Down To From With Without Within Upon About
  Above After Before Behind Below Beneath Beside Besides Between Beyond During Except Inside Near Since Through
  Throughout Till Until Unto Toward Towards Not No Yes Yeah Yep Nope Oh O Ah Aha Ahh Eh Hey Hi Hello Hush Alas
  Well Now Just Still Even Only Also Too Very Much More Most Some Any All Each Every Both Either Neither None One Two
  Three Four Five Six Seven Eight Nine Ten First Second Third Last Next Another Other Such Same Own Do Does Did Done
  Have Has Had Be Being Been Am Is Are Was Were Will Would Shall Should Can Could May Might Must Let Lets Let's
  Please Thank Thanks Sorry Good Goodbye Bye Dear Darling Love Sweet Poor Pray Perhaps Maybe Indeed Really Surely
  Certainly Quite Rather Sure Right Wrong True False Never Always Often Sometimes Ever Again Once Twice Soon Later
  Today Tonight Tomorrow Yesterday Morning Evening Night Day Week Month Year Time Monday Tuesday Wednesday Thursday
  Friday Saturday Sunday January February March April June July August September October November December
  Christmas Easter God Lord Heaven Heavens Hell Jesus Christ Damn Bloody Mr Mrs Miss Ms Dr Sir Madam Madame
  Mademoiselle Monsieur Lady Chapter Volume Book Part Section Prologue Epilogue End Note Notes Summary Author
  Rating Warning Warnings Disclaimer Title Fandom Pairing Pairings Characters Words Chapters Whatever Whoever
  Wherever However Whenever Meanwhile Nevertheless Therefore Thus Hence Besides Otherwise Instead Anyway Anyhow
  Come Go Look Listen See Stop Wait Tell Take Give Get Make Say Said Says Don't Can't Won't Isn't Wasn't Didn't
  Doesn't Couldn't Wouldn't Shouldn't Haven't Hasn't Hadn't Aren't Weren't It's That's There's Here's What's Who's
  He's She's You're We're They're You'll We'll They'll He'll She'll You've We've They've I'd You'd He'd She'd We'd
  They'd Ma'am Mamma Mama Papa Mum Mom Dad Father Mother Uncle Aunt Brother Sister Cousin Grandmother Grandfather
  Captain Colonel Major General Doctor Professor Inspector Sergeant Queen King Prince Princess Duke Count Baron
  Fine Nothing Something Everything Anything Everyone Someone Anyone Nobody Somebody Everybody Anybody English
  French German Italian Indian American British Russian Spanish Irish Scotch Scottish Welsh Dutch Roman Greek
  Latin Christian Church Street Road Lane Square Park Hall House Court Castle Abbey Place Town City Village
  Mrs. Mr. Dr. St St. Mt Ye Thou Thee Thy Man Woman Boy Girl Child Madam Ladies Gentlemen Sirs Nay Aye Ay Ho
  Huh Hmm Hm Um Uh Er Ugh Ooh Wow Whoa Okay OK Ok Cool Shh Sh Psst Fuck Shit Crap Hell's Goddamn Dammit Jeez
  Gosh Golly Egad Lo Behold Hark Bravo Hurrah Hooray Farewell Adieu Welcome Congratulations Cheers Amen
  Because Although Though Unless Whether Whilst Whereas Lest Nonetheless Moreover Furthermore Somehow
  Ha Hah Haw Heh Hem Hum Humph Hmmm H'm Mm Mmm Mmmm Hullo Hallo Halloa Hillo Holloa Pooh Pshaw Psha Pah Bah Tush
  Tut Lor Lawk Lawks Lauk Gad Begad Gawd Zounds Damme Drat Aw Ahem Oho Alack Fie Whew Phew Faugh Oops Ouch Hurray
  Signor Signora Signorina Huzza Huzzah Ahoy Heyday Goodness Gracious Heigho La Bonjour Esq Esquire Among Amongst Across Along Alongside
  Truth Justice Nature Universe People Humanity Society Providence Liberty Science Religion Progress Civilisation
  Civilization Anarchy Eternity Antiquity Christianity Hinduism Buddhism Islam Judaism Catholicism Protestantism
  Socialism Anarchism
  Around Against Amid Amidst Despite Himself Herself Itself Themselves Yourself Yourselves Ourselves Presently
  Suddenly Afterwards Accordingly Immediately`
    .split(/\s+/)
    .concat(DEMONYMS)
    .filter((word) => !GIVEN_NAME_WORDS.has(word)),
);

/** Words that, capitalised after them, mark a place rather than a person ("in Highbury"). */
export const PLACE_PREPOSITIONS: ReadonlySet<string> = new Set([
  'in',
  'at',
  'to',
  'from',
  'into',
  'near',
  'toward',
  'towards',
  'through',
  'across',
  'via',
  'of',
]);

/**
 * Continents and countries, ending a place's name or standing alone ("Egypt", "New England").
 * Those that are also given names ("India", "Georgia", "Virginia") are left to the cast's place
 * test (cast.ts placeLike): "in India" tells a place from India Wilkes.
 */
const COUNTRIES = `Europe Asia Africa America Australia England France Germany Italy Spain Russia China Japan
  Egypt Greece Ireland Scotland Holland Switzerland Austria Prussia Portugal Belgium Poland Sweden Norway Denmark
  Canada Mexico Persia Arabia Angleterre`.split(/\s+/);

/** Name-final words that make the whole span a place or institution ("Hartfield Hall", "Bond Street"). */
export const PLACE_SUFFIXES: ReadonlySet<string> = new Set(
  `Street Road Lane Square Park Hall House Court Castle Abbey Place Town City Village Hill Hills Wood Woods Lodge
  Farm Manor Cottage Church Chapel Cathedral College School University Hotel Inn Club Station Bridge River Lake
  Sea Ocean Island Islands Mountain Mountains Valley Gate Gardens Garden Row Terrace Crescent Avenue Buildings Bay
  Common Heath Green Field Fields Palace Tower Towers Office Museum Theatre Theater Hospital Prison Market Mill
  Caves Cave Rooms Parsonage Rectory Vicarage Grove Park's Street's Shop Villa Villas Camp Pension Grange Priory
  Wharf Docks Quay Embankment Harbour Canal`
    .split(/\s+/)
    .concat(COUNTRIES),
);

/** Titles written abbreviated with a full stop ("Mr.", "Dr."), lower-case without the stop: the stop ends no sentence. */
export const ABBREVIATED_TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'col',
  'capt',
  'prof',
  'rev',
  'mme',
  'mlle',
  'm',
  'messrs',
  'gen',
  'lt',
  'sgt',
  'hon',
]);

/** ABBREVIATED_TITLES as a list, and the length of its longest word. */
const TITLE_WORDS: readonly string[] = [...ABBREVIATED_TITLES];
const LONGEST_TITLE = Math.max(...TITLE_WORDS.map((title) => title.length));

/**
 * Is text[from, to) one of `words` (written in lower-case ASCII) in any case? Compared where it
 * is written, so the scanners that ask this of word after word neither slice nor lower-case:
 * only ASCII letters lower-case to the ASCII letters the words are written in.
 */
export function isOneOfAt(words: readonly string[], text: string, from: number, to: number): boolean {
  const length = to - from;
  for (const word of words) {
    if (word.length !== length) continue;
    let k = 0;
    for (; k < length; k++) {
      const c = text.charCodeAt(from + k);
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) || (c | 0x20) !== word.charCodeAt(k)) break;
    }
    if (k === length) return true;
  }
  return false;
}

/** Is text[from, to) an abbreviated title in any case ("Mr", "MRS", "dr": its lower case is in ABBREVIATED_TITLES)? */
export function isAbbreviatedTitleAt(text: string, from: number, to: number): boolean {
  return to - from <= LONGEST_TITLE && isOneOfAt(TITLE_WORDS, text, from, to);
}
