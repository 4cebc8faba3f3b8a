"""course/grading/redact.py on hand-made notebooks: what counts as hidden test text in an output."""

import nbformat

from course.grading import redact
from course.grading.execute import RECORD_MIME

HIDDEN_TEST = ('check_close(f(1), 2, "f doubles")\n'
               "### BEGIN HIDDEN TESTS\n"
               'record_equal(error_message(bits_per_byte, torch.zeros(0), 5), "an empty tensor is refused")\n'
               "### END HIDDEN TESTS\n")


def notebooks_with(outputs):
    """(source, release, graded): one test cell with a hidden test; the graded copy carries ``outputs``."""
    test = nbformat.v4.new_code_cell(HIDDEN_TEST)
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1, "grade_id": "t"}
    source = nbformat.v4.new_notebook(cells=[test])
    released = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('check_close(f(1), 2, "f doubles")')])
    graded = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=outputs)])
    return source, released, graded


def record(message, value):
    return nbformat.v4.new_output("display_data", data={RECORD_MIME: {"kind": "equal", "value": value,
                                                                      "message": message, "hidden": True}})


def test_a_records_field_names_run_into_its_message_are_not_hidden_text():
    # "message" + "bits per byte ..." spells windows of "error_message(bits_per_byte" in the hidden code.
    source, released, graded = notebooks_with([record("bits per byte of one token", 0.5)])
    assert not redact.Hidden(source, released).redact(graded)
    assert graded.cells[0].outputs[0]["data"][RECORD_MIME]["value"] == 0.5


def test_hidden_code_in_a_records_value_or_in_a_stream_is_withheld():
    for leak in (record("fine", "error_message(bits_per_byte, torch.zeros(0), 5)"),
                 nbformat.v4.new_output("stream", name="stdout", text="errormessage bits-per-byte torch zeros")):
        source, released, graded = notebooks_with([leak])
        assert redact.Hidden(source, released).redact(graded)
        assert graded.cells[0].outputs == [nbformat.v4.new_output("stream", name="stderr", text=redact.WITHHELD)]
