#include "CNcursesw.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

attr_t mf_attr_bold(void) { return A_BOLD; }
attr_t mf_attr_reverse(void) { return A_REVERSE; }
attr_t mf_attr_underline(void) { return A_UNDERLINE; }
attr_t mf_attr_dim(void) { return A_DIM; }
mmask_t mf_mouse_mask(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
int mf_mouse_is_click(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
int mf_mouse_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
int mf_mouse_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }
int mf_key_code_yes(void) { return KEY_CODE_YES; }
WINDOW *stdscr_window(void) { return stdscr; }
SCREEN *mf_new_terminal(void) { return newterm(NULL, stdout, stdin); }

int mf_put_cell(WINDOW *window, int y, int x, wchar_t character, attr_t attributes, short pair) {
  cchar_t cell;
  wchar_t text[2] = {character, 0};
  if (setcchar(&cell, text, attributes, pair, NULL) != OK) return ERR;
  return mvwadd_wch(window, y, x, &cell);
}

static volatile sig_atomic_t pending_signal = 0;

static void record_signal(int number) { pending_signal = number; }

void mf_install_signal_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  // A parent may have started us with these blocked (threads of many runtimes block all signals and
  // children inherit the mask); unblock them so that they can reach us at all.
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGINT);
  sigaddset(&wanted, SIGTERM);
  sigaddset(&wanted, SIGHUP);
  sigaddset(&wanted, SIGWINCH);
  pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
}

int mf_terminal_hung_up(void) {
  struct pollfd descriptor = {.fd = STDIN_FILENO, .events = POLLIN};
  if (poll(&descriptor, 1, 0) < 0) return 0;
  return (descriptor.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

int mf_take_pending_signal(void) {
  int number = pending_signal;
  pending_signal = 0;
  return number;
}

void mf_define_extra_keys(void) {
  // The forms Home, End and the paging keys arrive in under xterm, tmux, screen, rxvt and the Linux
  // console, whatever the terminfo entry of TERM says (tmux with TERM=xterm-256color sends \e[1~).
  static const struct { const char *sequence; int code; } keys[] = {
      {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME},
      {"\033[4~", KEY_END},  {"\033[8~", KEY_END},  {"\033[F", KEY_END},  {"\033OF", KEY_END},
      {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE}, {"\033[3~", KEY_DC},
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    if (key_defined(keys[i].sequence) == 0) define_key(keys[i].sequence, keys[i].code);
  }
}

void mf_suspend(void) {
  // As vim and less do: give the terminal back, stop the whole job with SIGTSTP's default action, and
  // when the shell continues us (fg), take the terminal again and repaint all of it.
  def_prog_mode();
  endwin();
  fflush(stdout);
  struct sigaction stop, previous;
  memset(&stop, 0, sizeof stop);
  stop.sa_handler = SIG_DFL;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGTSTP, &stop, &previous);
  sigset_t unblock, mask;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGTSTP);
  sigaddset(&unblock, SIGCONT);
  pthread_sigmask(SIG_UNBLOCK, &unblock, &mask);
  kill(0, SIGTSTP);
  pthread_sigmask(SIG_SETMASK, &mask, NULL);
  sigaction(SIGTSTP, &previous, NULL);
  reset_prog_mode();
  clearok(curscr, TRUE);
  refresh();
}
