// Ribbon commands that run without a pane. The ribbon buttons so far only open the panes, so
// this registers nothing yet; the page must still signal Office that it is ready.
import { whenOfficeReady } from '../office/runtime';

whenOfficeReady(() => undefined);
