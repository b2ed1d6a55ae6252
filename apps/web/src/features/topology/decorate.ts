import type { Core } from 'cytoscape';
import { nameMatcher } from './name-filter';

export interface GraphViewState {
  selectedId: string | null;
  find: string;
  hide: string;
}

/**
 * Applies the URL's view state to the graph as classes: the selection, find (matches stand out, the rest fades)
 * and hide (matching nodes and their edges are not drawn). Nothing moves.
 */
export function decorate(cy: Core, state: GraphViewState): void {
  const found = nameMatcher(state.find);
  const hidden = nameMatcher(state.hide);
  cy.batch(() => {
    cy.elements().removeClass('selected match faded hidden');
    cy.nodes().forEach((node) => {
      const data = { kind: node.data('kind'), name: node.data('name'), namespace: node.data('namespace') };
      if (hidden?.(data)) node.addClass('hidden');
      else if (found && data.kind !== 'namespace') node.addClass(found(data) ? 'match' : 'faded');
    });
    if (found) {
      cy.edges().forEach((edge) => {
        if (!edge.source().hasClass('match') && !edge.target().hasClass('match')) edge.addClass('faded');
      });
    }
    if (state.selectedId) cy.getElementById(state.selectedId).addClass('selected');
  });
}
