# Completes command lines the way a person does: types each one at an interactive zsh running in a
# pseudo-terminal (zsh/zpty), with <TAB> standing for the Tab key, then has zsh print the line as
# completion left it: one "RESULT: <line>" per argument on stdout.
#   zsh -f complete-in-zsh.zsh SETUP LOG LINE...
# SETUP runs first in that shell (compinit and what the test installs); everything the terminal
# showed goes to LOG, where error messages printed during completion can be looked for.
zmodload zsh/zpty || exit 2
setup=$1
log=$2
shift 2
local line out tab=$'\t'
: > $log
zpty z zsh -f -i || exit 2
# $((6*7)): the marker appears only in the output, not in the echo of the typed line.
zpty -w z "PS1='> '; bindkey -e; $setup; print READY\$((6*7))"
zpty -r z out '*READY42*' || exit 3
print -r -- $out >> $log
for line in "$@"; do
  # Keys typed ahead wait in the terminal while completion runs, so the line is complete when the
  # editor gets to Ctrl-A: to the start of the line, make it print itself between brackets.
  zpty -w -n z "${line//<TAB>/$tab}"
  zpty -w -n z $'\C-aprint -r -- \'[\'\C-e\']\'\n'
  zpty -r z out '*\[*\]'$'\r\n''*' || exit 3
  print -r -- $out >> $log
  out=${(M)${(f)${out//$'\r'/}}:#\[*\]}
  print -r -- "RESULT: ${${out#\[}%\]}"
done
zpty -d z
