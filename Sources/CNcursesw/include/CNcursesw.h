// ncursesw for Swift: the wide-character API, plus functions for what Swift cannot import (macros)
// and for signal handling that must not run Swift code inside a signal handler.
#ifndef CNCURSESW_H
#define CNCURSESW_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Attribute and mouse macros (NCURSES_BITS and friends are not imported by Swift).
attr_t mf_attr_bold(void);
attr_t mf_attr_reverse(void);
attr_t mf_attr_underline(void);
attr_t mf_attr_dim(void);
mmask_t mf_mouse_mask(void);
int mf_mouse_is_click(mmask_t state);
int mf_mouse_is_wheel_up(mmask_t state);
int mf_mouse_is_wheel_down(mmask_t state);
int mf_key_code_yes(void);

// newterm on stdout/stdin (globals Swift 6 refuses to read); unlike initscr it returns NULL instead of
// exiting the process when the terminal type is unknown.
SCREEN *mf_new_terminal(void);

// The current screen's window (stdscr is a global Swift 6 refuses to read).
WINDOW *stdscr_window(void);

// Draws one cell: a wide character (UTF-32) with attributes and a colour pair.
int mf_put_cell(WINDOW *window, int y, int x, wchar_t character, attr_t attributes, short pair);

// SIGINT, SIGTERM and SIGHUP only set a flag that the event loop polls; the terminal is then restored
// by ordinary code, never from inside the handler.
void mf_install_signal_handlers(void);
int mf_take_pending_signal(void);

// True when the terminal on stdin has gone away (the window was closed): reads would fail forever.
int mf_terminal_hung_up(void);

/// Teaches ncurses the other escape forms of Home, End, PgUp, PgDn and Delete.
void mf_define_extra_keys(void);

/// Gives the terminal back and stops the job (Ctrl-Z); returns when the shell continues it.
void mf_suspend(void);

#endif
