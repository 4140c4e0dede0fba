/** The story library: everything outside src/library reads stories through these exports. */
export {
  CACHE_FORMAT,
  DEFAULT_CACHE_DIR,
  type LibraryCache,
  type LibraryCacheOptions,
  openLibraryCache,
} from './cache.ts';
export { decodeStoryBytes, MAX_STORY_BYTES } from './decode.ts';
export { StoryFileError } from './errors.ts';
export type { StoryFields } from './fields.ts';
export {
  isSidecarFile,
  type LoadLibraryOptions,
  type LoadProgress,
  type LoadStoryOptions,
  loadLibrary,
  loadStoryFile,
  SIDECAR_SUFFIXES,
  type StoryCache,
  storyCacheKey,
} from './load.ts';
export { type ParseOptions, parseStory } from './parse.ts';
export { findStories, paragraphTexts, sceneText, storyById } from './query.ts';
export { parseRating } from './rating.ts';
export { dialogueReport, libraryReport, type StorySummary, storyDetails, storySummary } from './report.ts';
export { slugify } from './slug.ts';
export * from './types.ts';
export { categoriesOf, warningCategories } from './warnings.ts';
