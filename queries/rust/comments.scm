; Comments (Rust). Doc comments are comments; lines holding only these are comment lines.

(line_comment) @comment

(block_comment) @comment
