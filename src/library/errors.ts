/** A story file the library cannot turn into a story; `reason` is written for the data keeper. */
export class StoryFileError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'StoryFileError';
    this.reason = reason;
  }
}
