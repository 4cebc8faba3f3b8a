# %% variant: whitespace-split
# Splits on whitespace only, so punctuation stays on the tokens ('vell.').
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return text.lower().split()
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: idf-without-half
# idf = log((N - n) / n): no +0.5 smoothing (the floor then hides some of it).
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log(max(n - df, 0.5) / df) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: query-terms-once
# A term repeated in the query counts once.
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in dict.fromkeys(query):
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: no-idf-floor
# Negative idf kept as it is (no epsilon * mean idf floor).
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: floors-zero-idf-too
# Floors idf <= 0 instead of idf < 0 (a term in exactly half the documents).
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value <= 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: floor-to-zero
# Negative idf set to 0 instead of epsilon * mean idf.
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: 0.0 if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: length-in-characters
# Document length counted in characters, not tokens.
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([sum(len(t) for t in doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: b-on-inverse-length
# b applied to avgdl / |d| instead of |d| / avgdl.
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.avgdl / self.length.clamp(min=1))
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION

# %% variant: mean-idf-after-floor
# The mean idf of the floor taken over the idf values floored at 0.
def tokenize(text):
    """The lower-cased runs of ASCII letters and digits of text, in order, as a list of str.

    "Zorn's capital: Vell, 12!" -> ["zorn", "s", "capital", "vell", "12"]; anything else separates tokens.
    Raise TypeError if text is not a str.
    """
    ### BEGIN SOLUTION
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z0-9]+", text.lower())
    ### END SOLUTION


class BM25:
    """Okapi BM25 over corpus: a non-empty list of documents, each a list of str tokens.

    k1 > 0 and 0 <= b <= 1, else ValueError; ValueError also for an empty corpus or one whose documents are all
    empty. idf and the negative-idf floor (epsilon * the mean idf of the vocabulary, taken before flooring,
    for every term whose idf is < 0) are as in the markdown above: the scores equal rank_bm25.BM25Okapi's.
    """

    def __init__(self, corpus, k1=1.5, b=0.75, epsilon=0.25):
        ### BEGIN SOLUTION
        if not corpus:
            raise ValueError("corpus is empty: BM25 needs at least one document")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [{} for _ in corpus]
        for counts, doc in zip(self.counts, corpus):
            for term in doc:
                counts[term] = counts.get(term, 0) + 1
        self.length = torch.tensor([len(doc) for doc in corpus], dtype=torch.float64)
        self.avgdl = self.length.mean().item()
        if self.avgdl == 0:
            raise ValueError("corpus: every document is empty")
        doc_freq = {}
        for counts in self.counts:
            for term in counts:
                doc_freq[term] = doc_freq.get(term, 0) + 1
        n = len(corpus)
        idf = {term: math.log((n - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()}
        floor = epsilon * sum(max(v, 0.0) for v in idf.values()) / len(idf)
        self.idf = {term: floor if value < 0 else value for term, value in idf.items()}
        ### END SOLUTION

    def scores(self, query):
        """(N,) float64 tensor: the BM25 score of every document for query, a list of str tokens.

        Repeated query terms count each time; terms in no document add 0, so a query with no indexed term
        (or no term at all) scores every document 0.0.
        """
        ### BEGIN SOLUTION
        total = torch.zeros(len(self.counts), dtype=torch.float64)
        norm = self.k1 * (1 - self.b + self.b * self.length / self.avgdl)
        for term in query:
            if term in self.idf:
                tf = torch.tensor([counts.get(term, 0) for counts in self.counts], dtype=torch.float64)
                total += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return total
        ### END SOLUTION
