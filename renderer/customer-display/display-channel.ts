import {
  DISPLAY_CHANNEL,
  parseDisplayMessage,
  type DisplayMessage,
  type DisplayState,
} from './display-state.ts';

/**
 * The POS end of the display channel: sends every new state, and answers a display that has
 * just opened (its `hello`) with the current one. Any number of displays may listen.
 */
export function openDisplayPublisher(initial: DisplayState) {
  const channel = new BroadcastChannel(DISPLAY_CHANNEL);
  let current = initial;
  const send = (message: DisplayMessage) => {
    channel.postMessage(message);
  };
  channel.onmessage = (event: MessageEvent) => {
    if (parseDisplayMessage(event.data)?.type === 'hello') send({ type: 'state', state: current });
  };
  send({ type: 'state', state: current });
  // A till closed or reloaded mid-sale must not leave its cart or codes up on the display.
  const farewell = () => {
    send({ type: 'state', state: { kind: 'welcome', storeName: current.storeName } });
  };
  window.addEventListener('pagehide', farewell);
  return {
    publish(state: DisplayState) {
      current = state;
      send({ type: 'state', state });
    },
    close() {
      window.removeEventListener('pagehide', farewell);
      channel.close();
    },
  };
}

/** The display end: asks for the current state, then follows every state the POS sends. */
export function followDisplayState(onState: (state: DisplayState) => void): () => void {
  const channel = new BroadcastChannel(DISPLAY_CHANNEL);
  channel.onmessage = (event: MessageEvent) => {
    const message = parseDisplayMessage(event.data);
    if (message?.type === 'state') onState(message.state);
  };
  channel.postMessage({ type: 'hello' } satisfies DisplayMessage);
  return () => {
    channel.close();
  };
}
