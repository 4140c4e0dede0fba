/**
 * The story library's data model. Everything downstream (commands, the quote game, the CLI)
 * reads stories through these types; the library itself never sees Discord or the store.
 */

/** AO3's rating scale; every rating a file states is normalised onto it. */
export type RatingLevel = 'general' | 'teen' | 'mature' | 'explicit' | 'unrated';

export const RATING_LEVELS: readonly RatingLevel[] = ['general', 'teen', 'mature', 'explicit', 'unrated'];

/** Normalised warning categories: AO3's archive warnings plus common free-text ones. */
export type WarningCategory =
  | 'graphic-violence'
  | 'major-character-death'
  | 'non-con'
  | 'underage'
  | 'no-warnings-apply'
  | 'choose-not-to-warn'
  | 'gore'
  | 'sexual-violence'
  | 'self-harm'
  | 'suicide'
  | 'abuse'
  | 'drug-use'
  | 'alcohol'
  | 'eating-disorder'
  | 'torture'
  | 'slavery'
  | 'incest'
  | 'character-death'
  | 'violence'
  | 'other';

/** Every warning category, in the order above. */
export const WARNING_CATEGORIES: readonly WarningCategory[] = [
  'graphic-violence',
  'major-character-death',
  'non-con',
  'underage',
  'no-warnings-apply',
  'choose-not-to-warn',
  'gore',
  'sexual-violence',
  'self-harm',
  'suicide',
  'abuse',
  'drug-use',
  'alcohol',
  'eating-disorder',
  'torture',
  'slavery',
  'incest',
  'character-death',
  'violence',
  'other',
];

export type StoryFormat = 'text' | 'markdown' | 'ao3-html' | 'html';

export type PointOfView = 'first' | 'second' | 'third';

/** A paragraph of prose; `start`/`end` are offsets into `Story.text` (JavaScript string indices). */
export interface Paragraph {
  readonly start: number;
  readonly end: number;
}

export interface Scene {
  /** 0-based position in the story. */
  readonly index: number;
  /** 0-based chapter this scene belongs to (0 for single-chapter stories). */
  readonly chapter: number;
  readonly chapterTitle: string | null;
  readonly paragraphs: readonly Paragraph[];
  /** Offsets into `Story.text` of the scene's first and last prose character. */
  readonly start: number;
  readonly end: number;
  readonly words: number;
}

/** Speech attribution: one utterance, possibly in several parts ("Wait," she said, "not yet."). */
export interface Quote {
  /** Offsets of the quoted words (marks excluded) in `Story.text`: first part's start, last part's end. */
  readonly start: number;
  readonly end: number;
  /** Each part's [start, end] in `Story.text`, in order. */
  readonly parts: readonly (readonly [number, number])[];
  /** The words said, parts joined by a space. */
  readonly text: string;
  /** A cast member's name, 'NARRATOR', or null when unknown. */
  readonly speaker: string | null;
  /** How the speaker was found: explicit (named tag), anaphoric (pronoun/epithet tag), implicit (no tag). */
  readonly type: 'explicit' | 'anaphoric' | 'implicit';
  /** Estimated probability the speaker is right (0..1). */
  readonly confidence: number;
  /** May the quote game ask about this line? */
  readonly eligible: boolean;
  /** Scene index (into `Story.scenes`) the quote is in. */
  readonly scene: number;
}

export interface CastMember {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly gender: 'male' | 'female' | 'unknown';
  /** How many quotes are attributed to this character. */
  readonly lines: number;
}

export interface Dialogue {
  /** The first-person narrator's name, 'NARRATOR' when unnamed, null for other narration. */
  readonly narrator: string | null;
  readonly characters: readonly CastMember[];
  readonly quotes: readonly Quote[];
}

export interface Story {
  /** Stable slug, unique within a library. */
  readonly id: string;
  /** Path of the source file, relative to the data folder. */
  readonly file: string;
  readonly format: StoryFormat;
  readonly title: string;
  readonly author: string | null;
  /** The rating as the file writes it ("R", "Teen And Up Audiences"), or null. */
  readonly rating: string | null;
  readonly ratingLevel: RatingLevel;
  /** Warnings as written, one entry each. */
  readonly warnings: readonly string[];
  readonly warningCategories: readonly WarningCategory[];
  readonly summary: string | null;
  readonly notes: string | null;
  readonly pov: PointOfView | null;
  readonly fandoms: readonly string[];
  readonly pairings: readonly string[];
  /** Characters as the metadata lists them (not the dialogue cast). */
  readonly characters: readonly string[];
  readonly tags: readonly string[];
  /** Non-story front and back matter kept as metadata: banner credits, "The End", betas, disclaimers. */
  readonly credits: readonly string[];
  /** Every other metadata field as written, keyed by lower-cased key. */
  readonly extra: Readonly<Record<string, string>>;
  readonly chapters: readonly { readonly index: number; readonly title: string | null }[];
  /** The decoded text as read: what every offset in this story points into. */
  readonly text: string;
  readonly scenes: readonly Scene[];
  readonly words: number;
  readonly dialogue: Dialogue;
}

/** A file the library could not turn into a story, and why. */
export interface Problem {
  readonly file: string;
  readonly reason: string;
}

export interface Library {
  readonly dir: string;
  readonly stories: readonly Story[];
  readonly problems: readonly Problem[];
}
