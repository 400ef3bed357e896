// The dashboard's pages, in menu order. A page is one ES module whose default export is
// { id, title, mount(view, ctx) -> { refresh(), onEvent(event), unmount() } }.
// Adding a page (jobs and schedules, registered webhooks, deployment actions...) is one import and one entry here.
import runs from './runs.js';
import services from './services.js';
import deliveries from './deliveries.js';
import outbound from './outbound.js';
import notifications from './notifications.js';
import health from './health.js';

export const pages = [runs, services, deliveries, outbound, notifications, health];
