import type { Core, ElementDefinition } from 'cytoscape';
import { type GraphUpdatePlan, planGraphUpdate } from './update-plan';

/** Fields cytoscape does not let data() change (they define the graph's structure). */
const STRUCTURAL = new Set(['id', 'source', 'target', 'parent']);

function mutableData(data: ElementDefinition['data']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!STRUCTURAL.has(key)) out[key] = value;
  return out;
}

/**
 * Puts a new answer on screen and returns the plan it followed. With `relayout`, the graph was rebuilt and needs a
 * layout; otherwise data and classes were updated in place and elements added or removed, so positions, pan and
 * zoom stay where they were.
 */
export function applyElements(cy: Core, elements: readonly ElementDefinition[]): GraphUpdatePlan {
  const current = {
    nodeIds: new Set(cy.nodes().map((n) => n.id())),
    edgeIds: new Set(cy.edges().map((e) => e.id())),
  };
  const plan = planGraphUpdate(current, elements);
  cy.batch(() => {
    if (plan.relayout) {
      cy.elements().remove();
      cy.add([...elements]);
      return;
    }
    for (const id of plan.removeIds) cy.getElementById(id).remove();
    const added = new Set(plan.addIds);
    for (const element of elements) {
      const id = element.data.id ?? '';
      if (added.has(id)) {
        cy.add(element);
        continue;
      }
      const existing = cy.getElementById(id);
      existing.data(mutableData(element.data));
      existing.classes(typeof element.classes === 'string' ? element.classes : (element.classes ?? []).join(' '));
    }
  });
  return plan;
}
