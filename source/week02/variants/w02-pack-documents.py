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
