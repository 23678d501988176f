#ifndef CITRUS_NCURSES_SHIM_H
#define CITRUS_NCURSES_SHIM_H

// Wide-character API (add_wch, setcchar) needs this before <ncurses.h>.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <ncursesw/ncurses.h>

// Swift cannot import macros or the mutable globals ncurses exports,
// so these wrappers expose them as functions.

static inline WINDOW *citrus_stdscr(void) { return stdscr; }
static inline int citrus_lines(void) { return LINES; }
static inline int citrus_cols(void) { return COLS; }
static inline int citrus_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int citrus_colors(void) { return COLORS; }
static inline int citrus_color_pairs(void) { return COLOR_PAIRS; }

static inline int citrus_attr_bold(void) { return (int)A_BOLD; }
static inline int citrus_attr_dim(void) { return (int)A_DIM; }
static inline int citrus_attr_reverse(void) { return (int)A_REVERSE; }
static inline int citrus_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int citrus_attr_normal(void) { return (int)A_NORMAL; }

static inline int citrus_key_resize(void) { return KEY_RESIZE; }
static inline int citrus_key_up(void) { return KEY_UP; }
static inline int citrus_key_down(void) { return KEY_DOWN; }
static inline int citrus_key_left(void) { return KEY_LEFT; }
static inline int citrus_key_right(void) { return KEY_RIGHT; }
static inline int citrus_key_npage(void) { return KEY_NPAGE; }
static inline int citrus_key_ppage(void) { return KEY_PPAGE; }
static inline int citrus_key_home(void) { return KEY_HOME; }
static inline int citrus_key_end(void) { return KEY_END; }
static inline int citrus_key_enter(void) { return KEY_ENTER; }
static inline int citrus_key_backspace(void) { return KEY_BACKSPACE; }
static inline int citrus_key_dc(void) { return KEY_DC; }
static inline int citrus_err(void) { return ERR; }

/// Writes one grapheme (as a wide-character string) with attributes and a
/// color pair at (y, x) on stdscr.
static inline int citrus_put_wide(int y, int x, const wchar_t *text, int attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, (attr_t)attrs, pair, NULL) == ERR) {
        return ERR;
    }
    return mvadd_wch(y, x, &cell);
}

#endif
