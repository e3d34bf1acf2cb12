import { z } from 'zod';

/*
 * The JSON export format (docs/export-format.md). One object; its first line is the header, then
 * every page and every comment on a line of its own, so both the export and the import stream it line
 * by line in bounded memory. Any JSON with the same structure is accepted on import (read whole).
 */

export const EXPORT_FORMAT = 'reply-desk-export';
export const EXPORT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

export const exportHeaderSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoTime,
  site: z.object({ id: z.string(), name: z.string() }),
});

export const exportPageSchema = z.object({
  identifier: z.string().min(1).max(1000),
  url: z.string().nullable(),
  title: z.string().nullable(),
  closed: z.boolean(),
  /** The page's own settings (issue 16), only when it has any; the import keeps the keys a page may override. */
  settings: z.record(z.string(), z.unknown()).optional(),
});

export const exportCommentSchema = z.object({
  id: z.uuid(),
  page: z.string().min(1).max(1000),
  parent: z.uuid().nullable(),
  /** Informative: the import derives depth from the parents. */
  depth: z.number().int().min(0).max(10).optional(),
  status: z.enum(['approved', 'pending', 'spam', 'rejected', 'deleted']),
  authorName: z.string(),
  authorEmail: z.string(),
  authorUrl: z.string(),
  /** The text as written (our Markdown subset); the import renders it again and ignores bodyHtml. */
  body: z.string(),
  bodyHtml: z.string().optional(),
  verdict: z
    .object({
      status: z.string(),
      score: z.number(),
      reasons: z.array(
        z
          .object({
            rule: z.string(),
            action: z.enum(['hold', 'spam', 'reject']),
            code: z.string(),
            message: z.string(),
            score: z.number(),
            field: z.string().optional(),
          })
          .loose(),
      ),
    })
    .loose()
    .nullable()
    .optional(),
  ip: z.string().nullable(),
  userAgent: z.string(),
  referrer: z.string(),
  idempotencyKey: z.string().nullable(),
  receivedAt: isoTime,
  editedAt: isoTime.nullable(),
});

export type ExportHeader = z.output<typeof exportHeaderSchema>;
export type ExportPage = z.output<typeof exportPageSchema>;
export type ExportComment = z.output<typeof exportCommentSchema>;
