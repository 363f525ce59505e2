/** The History menus' placement (Menu.tsx placeMenu): always inside the window, flipped above when there is no room below. */
import { describe, expect, it } from 'vitest';
import { MENU_MARGIN, placeMenu } from '../../../renderer/features/history/Menu';

const button = (left: number, top: number, width = 80, height = 28) => ({ left, right: left + width, top, bottom: top + height });

describe('menu placement', () => {
  it('keeps a menu inside the window at any width, shifting it from either edge', () => {
    const menu = { width: 260, height: 200 };
    // Room everywhere: under the button, on its left edge (or its right edge when aligned right).
    expect(placeMenu(button(100, 50), menu, { width: 1200, height: 800 }, 'left')).toMatchObject({ left: 100, top: 82 });
    expect(placeMenu(button(100, 50), menu, { width: 1200, height: 800 }, 'right')).toMatchObject({ left: MENU_MARGIN, top: 82 });
    // At the right edge: pulled back inside.
    const right = placeMenu(button(1150, 50), menu, { width: 1200, height: 800 }, 'left');
    expect(right.left + menu.width).toBe(1200 - MENU_MARGIN);
    // A window narrower than the menu: as wide as the window allows, from the margin.
    const narrow = placeMenu(button(150, 50), menu, { width: 240, height: 800 }, 'left');
    expect(narrow).toMatchObject({ left: MENU_MARGIN, maxWidth: 240 - 2 * MENU_MARGIN });
  });

  it('opens above the button when there is no room below, and scrolls when there is room on neither side', () => {
    const flipped = placeMenu(button(100, 700), { width: 260, height: 200 }, { width: 1200, height: 800 }, 'left');
    expect(flipped.top).toBe(700 - 4 - 200);
    const tall = placeMenu(button(100, 300), { width: 260, height: 900 }, { width: 1200, height: 800 }, 'left');
    expect(tall.top).toBe(332);
    expect(tall.maxHeight).toBe(800 - MENU_MARGIN - 332);
  });
});
