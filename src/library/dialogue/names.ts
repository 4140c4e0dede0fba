/**
 * Common English given names that are (almost) never used for the other gender, from the
 * classic-novel and fan-fiction casts the bot meets. A character's first name is strong gender
 * evidence, weighed like an honorific (cast.ts), where pronoun windows can mislead ("Philip
 * turned to his mother; she...").
 */
import type { Gender } from './lexicon.ts';

const MALE = `Aaron Abel Abraham Adam Adrian Alan Albert Alexander Alexis Alfred Algernon Allan Alonzo
Ambrose Andrew Angel Anthony Archibald Arthur August Augustus Ben Benjamin Bernard Bertie Bertram
Bill Billy Bob Brian Bruce Carl Cecil Cedric Charles Charley Charlie Christopher Clarence Claude
Clement Conrad Cyril Daniel David Dennis Dick Donald Douglas Duncan Edgar Edmund Edward Edwin
Eli Elijah Ernest Eugene Ezra Felix Ferdinand Francis Frank Frederick Fred Freddy Gabriel Geoffrey
George Gerald Gilbert Giles Godfrey Gregory Guy Harold Harry Henry Herbert Horace Hugh Humphrey
Isaac Ivan Jack Jacob James Jasper Jeremy Jerry Jesse Jim Jimmy Joe John Jonathan Joseph Joshua
Julian Julius Kenneth Laurence Lawrence Leonard Lewis Lionel Louis Lucas Luke Malcolm Mark Martin
Matthew Maurice Michael Moses Nathan Nathaniel Ned Neville Nicholas Noah Noel Oliver Oscar
Owen Patrick Paul Percy Peter Philip Phillip Ralph Randolph Raymond Reginald Richard Robert Roderick
Roger Ronald Rupert Samuel Sebastian Sidney Silas Simon Stanley Stephen Steven Thomas Timothy Tom
Tony Victor Vincent Walter Wilfred Will William Willie Xander Zachary Giles Spike Rupert Riley Oz Wesley
Lorne Gunn Tommy`;

const FEMALE = `Abigail Ada Adela Adelaide Agatha Agnes Alice Amelia Amy Angela Anna Anne Annie April Arabella
Augusta Babs Barbara Beatrice Bella Bertha Betsy Betty Blanche Bridget Buffy Caroline Catherine Cecilia
Cecily Charlotte Clara Clarissa Constance Cordelia Cornelia Daisy Diana Dinah Dolly Dora Dorothea
Dorothy Edith Edna Eleanor Elinor Eliza Elizabeth Ella Ellen Elsie Emily Emma Esther Ethel Eugenia
Eva Evelyn Fanny Faith Flora Florence Frances Georgiana Gertrude Grace Gwendolen Hannah Harriet
Harriot Helen Henrietta Hester Honoria Isabel Isabella Jane Janet Janey Jemima Jennifer Jenny Jessica
Joan Josephine Judith Julia Juliet June Kate Katharine Katherine Kitty Laura Lavinia Leonora Lilian Lily
Lizzy Louisa Louise Lucy Lydia Mabel Madeleine Margaret Maria Marian Marianne Marie Martha Mary Matilda
Maud May Meg Milly Minnie Miriam Molly Nancy Nell Nellie Nora Olivia Patience Pauline Penelope Phoebe
Polly Priscilla Rachel Rebecca Rose Rosamond Ruth Sally Sarah Sophia Sophie Susan Susanna Sybil
Theresa Tilly Victoria Violet Virginia Willow Winifred Winnie Dawn Tara Cordelia Faith Fred Illyria
Joyce Jenny Anya Drusilla Darla Lilah Adele Edna Rosamund Ottilie Glenda Prudence Mercy Honor`;

const toSet = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));
const male = toSet(MALE);
// "Fred" is Winifred Burkle in some fandoms but Frederick far more often: a name on both lists counts for neither.
const female = toSet(FEMALE);

/** The gender a given name suggests, or 'unknown' (unlisted, or on both lists). */
export function genderOfGivenName(name: string): Gender {
  const m = male.has(name);
  const f = female.has(name);
  if (m === f) return 'unknown';
  return m ? 'male' : 'female';
}
