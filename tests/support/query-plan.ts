/** A node of `explain (format json)`, as far as the plan tests read it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every scan in the plan, as `Seq Scan comments` or `Index Scan comments_reader_idx`. */
export function planScans(node: PlanNode, out: string[] = []): string[] {
  if (node['Node Type'].endsWith('Scan'))
    out.push(`${node['Node Type']} ${node['Index Name'] ?? node['Relation Name']}`);
  for (const child of node.Plans ?? []) planScans(child, out);
  return out;
}
