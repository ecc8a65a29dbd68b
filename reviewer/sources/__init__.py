"""Reading documents: a letter or report from disk, decoded text or PDF text, as a `Letter`.

The lowest layer: it imports only `reviewer.errors` and `reviewer.dates` (the one date
parser, for the dates on Ofsted's site). Bad input becomes an `InputError` whose
message is one line. Offsets everywhere else index the text this layer returns.
"""
