/**
 * The quote game's public face for the bot's wiring and its tests. Commands call play.ts; the
 * wiring calls `recoverQuizzes` once the bot can post (and `stopQuizTimers` on shutdown).
 */
export { closeIfOverdue, RETRY_MS, recoverGuildOnce, recoverQuizzes } from './lifecycle.ts';
export {
  afterPress,
  pressAnswer,
  quizLeaderboard,
  quizStats,
  runQuiz,
  startQuiz,
  stopQuiz,
} from './play.ts';
export {
  pendingQuizTimers,
  type QuizTuning,
  quizBusy,
  quizIdle,
  stopQuizTimers,
  tuneQuiz,
} from './runtime.ts';
export { QUIZ_KEYS, STALE_AFTER_MS, START_COOLDOWN_MS } from './storage.ts';
