import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseStory } from '../../../src/library/index.ts';
import type { Dialogue } from '../../../src/library/types.ts';
import { quoteStarting } from './fixtures.ts';

/** A seed story's dialogue through the real ingest (parseStory: header, title, scenes, point of view). */
function ingested(file: string): Dialogue {
  return parseStory(readFileSync(join(import.meta.dirname, '..', '..', '..', 'data', file)), file).dialogue;
}

describe('seed story: Another Time, Another Place (third person, Spike / Buffy / Angel / Illyria)', () => {
  const d = ingested('another-time-another-place.txt');
  const member = (name: string) => d.characters.find((c) => c.name === name);

  test('the cast holds the four leads, with their genders', () => {
    expect(d.narrator).toBeNull();
    expect(member('Spike')?.gender).toBe('male');
    expect(member('Buffy')?.gender).toBe('female');
    expect(member('Angel')?.gender).toBe('male');
    expect(member('Illyria')).toBeDefined();
  });

  test('pet names used only to address someone become their aliases: Blue is Illyria, Slayer is Buffy', () => {
    expect(member('Illyria')?.aliases).toContain('Blue');
    expect(member('Buffy')?.aliases).toContain('Slayer');
    expect(d.characters.map((c) => c.name)).not.toContain('Blue');
  });

  test.each([
    // "No," Angel said, "It was over here." - one utterance, its parts joined by a space.
    ['No, It was over here.', 'Angel'],
    ['A dimensional shift,', 'Angel'],
    ['He bled,', 'Illyria'],
    ['I was not asked to aid you, I was ordered,', 'Illyria'],
    ['I weary of this,', 'Illyria'],
    ["I'm meditating,", 'Buffy'],
    ['Not interested, Spike.', 'Buffy'],
    ['Different places, from what I hear,', 'Spike'],
    // The opening scene: its first paragraph (which names Spike) counts towards who the scene is about.
    ['You are bleeding too much,', 'Illyria'],
    ['Have no choice, love.', 'Spike'],
    ['Sorry, not really on my menu.', 'Spike'],
    ['Ready, Blue?', 'Spike'],
    ['Sod off, Illyria.', 'Spike'],
  ])('"%s" is said by %s', (opening, speaker) => {
    expect(quoteStarting(d, opening).speaker).toBe(speaker);
  });

  test.each([
    ['Sod off, Illyria.', 'Illyria'],
    ['What are you doing here, Spike?', 'Spike'],
    ['Buffy, please just tell me where we are.', 'Buffy'],
    // Illyria is named in the narration just before it, but the line calls her by her alias.
    ["Yeah, that's right, Blue.", 'Illyria'],
  ])('"%s" is addressed to %s, not said by them', (opening, addressee) => {
    expect(quoteStarting(d, opening).speaker).not.toBe(addressee);
  });

  test('eligible lines are confidently attributed and never name their speaker', () => {
    const eligible = d.quotes.filter((q) => q.eligible);
    expect(eligible.length).toBeGreaterThan(5);
    for (const q of eligible) {
      expect(q.confidence).toBeGreaterThanOrEqual(0.95);
      expect(q.text).not.toContain(q.speaker!);
    }
  });

  test('quoted words in narration nobody says aloud are not lines: "oomph"', () => {
    expect(d.quotes.map((q) => q.text)).not.toContain('oomph');
  });
});

describe('seed story: War!Verse (first person, the narrator is Xander)', () => {
  const d = ingested('war-verse-first-person.txt');

  test('the narrator is named Xander, because Spike addresses him by name', () => {
    expect(d.narrator).toBe('Xander');
  });

  test.each([
    ['I know,', 'Xander'],
    ['Come back to me.', 'Xander'],
    ["Don't try. Do it!", 'Xander'],
    ['Xander, I...', 'Spike'],
    ['Right then.', 'Spike'],
    ['That we will, luv.', 'Spike'],
  ])('"%s" is said by %s', (opening, speaker) => {
    expect(quoteStarting(d, opening).speaker).toBe(speaker);
  });

  test('only the two characters speak', () => {
    const speakers = new Set(d.quotes.map((q) => q.speaker).filter((s) => s !== null));
    expect([...speakers].sort()).toEqual(['Spike', 'Xander']);
  });
});

describe('seed story through the real ingest (parseStory → story.dialogue)', () => {
  const story = parseStory(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'data', 'another-time-another-place.txt')),
    'another-time-another-place.txt',
  );

  test('the cast is the story’s people, not capitalised words opening a sentence ("Simple words, but true.")', () => {
    const names = story.dialogue.characters.flatMap((c) => [c.name, ...c.aliases]);
    expect(names).toEqual(expect.arrayContaining(['Spike', 'Buffy', 'Angel', 'Illyria']));
    for (const word of ['Simple', 'Because', 'Strange', 'Sunshine']) expect(names).not.toContain(word);
  });
});
