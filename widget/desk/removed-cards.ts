import type { DeskCommentStatus } from '../../src/http-contract/desk-contract.js';

/** A card this page took out after an action: where it stood, and the status the action left. */
export interface RemovedCard {
  card: HTMLElement;
  /** Its index among the cards when it was taken out. */
  at: number;
  status: DeskCommentStatus;
}

/**
 * Cards taken out by this page, by comment id, so an undo can put them back where they were. Kept
 * for the page's life: an undo the server answers for other comments reloads the page instead.
 */
export type RemovedCards = Map<string, RemovedCard>;
