# pyenv_query.py: placeholder, written with gen/pyenv.c.
