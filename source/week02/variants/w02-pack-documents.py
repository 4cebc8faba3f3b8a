# %% variant: no-eot-separator
# Concatenates the documents without EOT between them: the model cannot tell where one ends.
def pack_documents(documents, block_size, eot_id):
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.extend(document)
        owner.extend([index] * len(document))
    n_rows = len(stream) // (block_size + 1)
    kept = n_rows * (block_size + 1)
    return (torch.tensor(stream[:kept], dtype=torch.long).view(n_rows, block_size + 1),
            torch.tensor(owner[:kept], dtype=torch.long).view(n_rows, block_size + 1))


# %% variant: pads-last-row
# Keeps the tail as a last row padded with EOT, instead of dropping it.
def pack_documents(documents, block_size, eot_id):
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.extend(list(document) + [eot_id])
        owner.extend([index] * (len(document) + 1))
    n_rows = -(-len(stream) // (block_size + 1))
    missing = n_rows * (block_size + 1) - len(stream)
    stream += [eot_id] * missing
    owner += [owner[-1] if owner else 0] * missing
    return (torch.tensor(stream, dtype=torch.long).view(n_rows, block_size + 1),
            torch.tensor(owner, dtype=torch.long).view(n_rows, block_size + 1))


# %% variant: eot-starts-next-document
# Puts the EOT in front of each document, so it is counted in the next document rather than the one it ends.
def pack_documents(documents, block_size, eot_id):
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.extend([eot_id] + list(document))
        owner.extend([index] * (len(document) + 1))
    n_rows = len(stream) // (block_size + 1)
    kept = n_rows * (block_size + 1)
    return (torch.tensor(stream[:kept], dtype=torch.long).view(n_rows, block_size + 1),
            torch.tensor(owner[:kept], dtype=torch.long).view(n_rows, block_size + 1))


# %% variant: rows-overlap-by-one
# Cuts rows of block_size + 1 tokens every block_size tokens (each row repeats the last token of the previous one).
def pack_documents(documents, block_size, eot_id):
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.extend(list(document) + [eot_id])
        owner.extend([index] * (len(document) + 1))
    starts = range(0, len(stream) - block_size, block_size)
    rows = torch.tensor([stream[s:s + block_size + 1] for s in starts], dtype=torch.long).view(-1, block_size + 1)
    doc_index = torch.tensor([owner[s:s + block_size + 1] for s in starts], dtype=torch.long).view(-1, block_size + 1)
    return rows, doc_index

# %% variant: float-after-empty-document
# Builds the stream with torch.cat of per-document tensors: an empty document is a float tensor and turns the rows float.
def pack_documents(documents, block_size, eot_id):
    """Pack tokenised documents into rows of block_size + 1 tokens with no padding.

    documents: list of lists of token ids (any non-negative ints, above 65535 too), without EOT; a document may be empty.
    Append eot_id to every document, concatenate them in order into one stream, and cut the stream into
    consecutive, non-overlapping rows of block_size + 1 tokens (a row gives x = row[:-1] and y = row[1:]).
    The tail too short to fill a row is dropped.
    Returns (rows, doc_index), two int64 tensors of shape (n_rows, block_size + 1), n_rows possibly 0 (int64 whatever the documents hold):
        rows[r, t]: the token id;
        doc_index[r, t]: the index in `documents` of the document the token comes from (the EOT after
        document i belongs to document i).
    """
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.append(torch.cat([torch.tensor(document), torch.tensor([eot_id])]))
        owner.append(torch.full((len(document) + 1,), index))
    stream = torch.cat(stream) if stream else torch.zeros(0, dtype=torch.long)
    owner = torch.cat(owner) if owner else torch.zeros(0, dtype=torch.long)
    row_length = block_size + 1
    n_rows = len(stream) // row_length
    kept = n_rows * row_length
    rows = stream[:kept].view(n_rows, row_length)
    doc_index = owner[:kept].view(n_rows, row_length)
    return rows, doc_index
    ### END SOLUTION

# %% variant: through-uint16
# Packs the stream as uint16, like a shard: ids above 65535 wrap around.
def pack_documents(documents, block_size, eot_id):
    """Pack tokenised documents into rows of block_size + 1 tokens with no padding.

    documents: list of lists of token ids (any non-negative ints, above 65535 too), without EOT; a document may be empty.
    Append eot_id to every document, concatenate them in order into one stream, and cut the stream into
    consecutive, non-overlapping rows of block_size + 1 tokens (a row gives x = row[:-1] and y = row[1:]).
    The tail too short to fill a row is dropped.
    Returns (rows, doc_index), two int64 tensors of shape (n_rows, block_size + 1), n_rows possibly 0 (int64 whatever the documents hold):
        rows[r, t]: the token id;
        doc_index[r, t]: the index in `documents` of the document the token comes from (the EOT after
        document i belongs to document i).
    """
    stream, owner = [], []
    for index, document in enumerate(documents):
        stream.extend(list(document) + [eot_id])
        owner.extend([index] * (len(document) + 1))
    row_length = block_size + 1
    n_rows = len(stream) // row_length
    kept = n_rows * row_length
    rows = torch.from_numpy(np.array(stream[:kept], dtype=np.uint16).astype(np.int64)).view(n_rows, row_length)
    doc_index = torch.tensor(owner[:kept], dtype=torch.long).view(n_rows, row_length)
    return rows, doc_index
    ### END SOLUTION
