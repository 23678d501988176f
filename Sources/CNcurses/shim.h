#ifndef CITRUS_NCURSES_SHIM_H
#define CITRUS_NCURSES_SHIM_H

// Wide-character API (add_wch, setcchar) needs this before <ncurses.h>.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

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
static inline int citrus_ok(void) { return OK; }
static inline int citrus_key_code_yes(void) { return KEY_CODE_YES; }
static inline int citrus_key_btab(void) { return KEY_BTAB; }

/// Reads one key from stdscr: returns OK with a character, KEY_CODE_YES with
/// a function key code, or ERR when no input is waiting (in nodelay mode).
static inline int citrus_get_wch(wint_t *key) { return wget_wch(stdscr, key); }

/// Starts curses on the process's standard output and input, with the
/// terminal type from $TERM. Returns NULL (where initscr would exit) when
/// the terminal type is unknown.
static inline SCREEN *citrus_newterm(void) { return newterm(NULL, stdout, stdin); }

// glibc declares wcwidth only with _XOPEN_SOURCE, which would hide other
// declarations this header needs.
extern int wcwidth(wchar_t character);

/// The number of columns the C library (and so ncurses) gives `character`,
/// or -1 for non-printable characters.
static inline int citrus_wcwidth(wchar_t character) { return wcwidth(character); }

/// Writes one grapheme (as a wide-character string) with attributes and a
/// color pair at (y, x) on stdscr.
static inline int citrus_put_wide(int y, int x, const wchar_t *text, int attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, (attr_t)attrs, pair, NULL) == ERR) {
        return ERR;
    }
    return mvadd_wch(y, x, &cell);
}

// MARK: Terminal restore on signals, crashes and exit
//
// These functions keep their state in static variables of this header, and
// each Swift source file that calls them gets its own copy. Call all of them
// from one Swift file only. Swift's C code generation does not emit static
// arrays and structs at file scope, so those live inside accessor functions.

static volatile sig_atomic_t citrus_wake_fd = -1;
static volatile sig_atomic_t citrus_pending_signal = 0;
static volatile sig_atomic_t citrus_curses_active = 0;
static volatile sig_atomic_t citrus_has_saved_termios = 0;
static size_t citrus_restore_length = 0;

#define CITRUS_RESTORE_SEQUENCE_CAPACITY 512
#define CITRUS_SIGNAL_COUNT 65

static struct termios *citrus_saved_termios(void) {
    static struct termios saved;
    return &saved;
}

static char *citrus_restore_sequence(void) {
    static char sequence[CITRUS_RESTORE_SEQUENCE_CAPACITY];
    return sequence;
}

static struct sigaction *citrus_previous_crash_action(int signal_number) {
    static struct sigaction previous[CITRUS_SIGNAL_COUNT];
    return &previous[signal_number];
}

/// SIGINT, SIGTERM and SIGHUP handler: records the signal and writes one byte
/// to the wake-up pipe. Both are async-signal-safe; the UI loop does the rest.
static void citrus_termination_handler(int signal_number) {
    int saved_errno = errno;
    citrus_pending_signal = signal_number;
    if (citrus_wake_fd >= 0) {
        unsigned char byte = 1;
        ssize_t ignored = write(citrus_wake_fd, &byte, 1);
        (void)ignored;
    }
    errno = saved_errno;
}

/// Installs the SIGINT, SIGTERM and SIGHUP handler. Call it before newterm,
/// so that ncurses leaves these signals to us.
static inline int citrus_install_termination_handlers(int wake_fd) {
    citrus_wake_fd = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = citrus_termination_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGHUP, &action, NULL) != 0) return -1;
    return 0;
}

/// Returns the last termination signal received (0 if none) and clears it.
static inline int citrus_take_pending_signal(void) {
    int signal_number = citrus_pending_signal;
    citrus_pending_signal = 0;
    return signal_number;
}

/// Saves the terminal modes from before ncurses changed them.
static inline int citrus_save_terminal_modes(void) {
    if (tcgetattr(STDIN_FILENO, citrus_saved_termios()) != 0) return -1;
    citrus_has_saved_termios = 1;
    return 0;
}

static void citrus_append_capability(const char *name) {
    char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) return;
    size_t length = strlen(value);
    if (citrus_restore_length + length >= CITRUS_RESTORE_SEQUENCE_CAPACITY) return;
    memcpy(citrus_restore_sequence() + citrus_restore_length, value, length);
    citrus_restore_length += length;
}

/// Crash handler: puts the saved terminal modes back, writes the sequences
/// that leave the alternate screen and show the cursor, then hands the
/// signal to the handler that was there before (the Swift runtime's
/// backtracer, or the default action).
static void citrus_crash_handler(int signal_number) {
    if (citrus_curses_active) {
        if (citrus_restore_length > 0) {
            ssize_t ignored = write(STDOUT_FILENO, citrus_restore_sequence(), citrus_restore_length);
            (void)ignored;
        }
        if (citrus_has_saved_termios) tcsetattr(STDIN_FILENO, TCSANOW, citrus_saved_termios());
        citrus_curses_active = 0;
    }
    sigaction(signal_number, citrus_previous_crash_action(signal_number), NULL);
    raise(signal_number);
}

/// Restores the terminal at exit() if the UI loop did not get to do it.
static void citrus_exit_restore(void) {
    if (citrus_curses_active) {
        citrus_curses_active = 0;
        endwin();
    }
}

/// Records that curses owns the terminal, reads the restore sequences from
/// terminfo, and installs the crash handlers and the exit fallback. Call it
/// right after newterm.
static inline int citrus_arm_terminal_restore(void) {
    static int exit_handler_registered = 0;
    citrus_restore_length = 0;
    citrus_append_capability("sgr0");
    citrus_append_capability("cnorm");
    citrus_append_capability("rmcup");
    citrus_curses_active = 1;

    int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = citrus_crash_handler;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) {
        int signal_number = crash_signals[i];
        if (sigaction(signal_number, &action, citrus_previous_crash_action(signal_number)) != 0) return -1;
    }
    if (!exit_handler_registered) {
        if (atexit(citrus_exit_restore) != 0) return -1;
        exit_handler_registered = 1;
    }
    return 0;
}

/// Ends curses mode once; later calls do nothing.
static inline void citrus_end_curses(void) {
    if (citrus_curses_active) {
        citrus_curses_active = 0;
        endwin();
    }
}

#endif
