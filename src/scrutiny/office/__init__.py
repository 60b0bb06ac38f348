"""The responding office's documents: the published letter (its text, its record in the
contract's shape, its PDF), the holding-to-account pack and the calendar feed. Plain
functions of plain data: the store and the web app call them; they know neither."""
