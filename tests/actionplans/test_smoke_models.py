import datetime

from actionplans import rag


def test_action_derives_due_date_and_rag(action):
    assert action.due_date == datetime.date(2011, 3, 31)
    assert action.rag_on(datetime.date(2011, 4, 1)).colour == rag.RED
    assert action.rag_on(datetime.date(2011, 3, 31)).colour == rag.GREEN
