import type { ParallaxBridge } from '../../shared/ipc';

declare global {
  interface Window {
    parallax?: ParallaxBridge;
  }
}
export {};
