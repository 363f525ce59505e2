import type { Channel, EventName, PayloadOf, ResponseOf, ValidRequestOf } from '../../shared/ipc';

export type Handler<C extends Channel> = (request: ValidRequestOf<C>) => Promise<ResponseOf<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

/** Channels whose names start with `${D}:`. */
export type DomainHandlers<D extends string> = { [C in Channel as C extends `${D}:${string}` ? C : never]: Handler<C> };

/** Pushes an event to the renderer (webContents.send in the app, page.evaluate in tests). */
export type EmitEvent = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;
