import { describe, expect, test } from 'vitest';
import { categoriesOf, warningCategories } from '../../src/library/index.ts';
import { povStatement, splitWarnings } from '../../src/library/warnings.ts';

describe('warningCategories: AO3 archive warnings', () => {
  test.each([
    ['Graphic Depictions Of Violence', ['graphic-violence']],
    ['Major Character Death', ['major-character-death']],
    ['Rape/Non-Con', ['non-con']],
    ['Underage Sex', ['underage']],
    ['Underage', ['underage']],
    ['No Archive Warnings Apply', ['no-warnings-apply']],
    ['Creator Chose Not To Use Archive Warnings', ['choose-not-to-warn']],
    ['Choose Not To Use Archive Warnings', ['choose-not-to-warn']],
  ])('%s', (warning, categories) => {
    expect(warningCategories(warning)).toEqual(categories);
  });
});

describe('warningCategories: free-text warnings', () => {
  test.each([
    ['Allusions to non-con and gore', ['non-con', 'gore']],
    ['gore', ['gore']],
    ['sexual violence/non-con', ['non-con', 'sexual-violence']],
    ['dub-con', ['non-con']],
    ['Sexual assault', ['sexual-violence']],
    ['self-harm', ['self-harm']],
    ['Self harm', ['self-harm']],
    ['suicidal thoughts', ['suicide']],
    ['Suicide attempt', ['suicide']],
    ['child abuse', ['abuse']],
    ['emotional abuse', ['abuse']],
    ['drug use', ['drug-use']],
    ['substance abuse', ['drug-use']],
    ['alcohol', ['alcohol']],
    ['eating disorder', ['eating-disorder']],
    ['torture', ['torture']],
    ['slavery', ['slavery']],
    ['incest', ['incest']],
    ['character death', ['character-death']],
    ['Major character death (temporary)', ['major-character-death']],
    ['violence', ['violence']],
    ['graphic violence', ['graphic-violence']],
    ['none', ['no-warnings-apply']],
    ['No warnings', ['no-warnings-apply']],
    ['Mild language', ['other']],
  ])('%s', (warning, categories) => {
    expect(warningCategories(warning)).toEqual(categories);
  });

  test('a story’s categories are each listed once, in order of first appearance', () => {
    expect(categoriesOf(['gore', 'Graphic Depictions Of Violence', 'more gore'])).toEqual([
      'gore',
      'graphic-violence',
    ]);
  });
});

describe('splitWarnings: one entry per warning, POV statements set aside', () => {
  test.each([
    ['Allusions to non-con and gore. First person POV.', ['Allusions to non-con and gore'], 'first'],
    ['violence; self-harm', ['violence', 'self-harm'], null],
    ['Major character death, torture', ['Major character death', 'torture'], null],
    ['Gore. Third person POV', ['Gore'], 'third'],
    ['Spike POV, blood', ['blood'], null],
    ['none', ['none'], null],
  ])('%s', (value, warnings, pov) => {
    expect(splitWarnings(value)).toEqual({ warnings, pov });
  });
});

describe('povStatement', () => {
  test.each([
    ['First person POV.', 'first'],
    ['1st person', 'first'],
    ['second-person', 'second'],
    ['Third person', 'third'],
    ['3rd person limited', 'third'],
    ['third', 'third'],
    ['Spike POV', null],
  ])('%s', (text, pov) => {
    expect(povStatement(text)).toBe(pov);
  });
});
