"""A support assistant: answers questions about a customer's orders with an LLM."""
import os
import subprocess

import httpx
from celery import Celery
from fastapi import Depends, FastAPI, HTTPException
from openai import OpenAI
from pydantic import BaseModel
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://localhost/support"))
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
queue = Celery("support", broker=os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0"))
MODEL = "gpt-4o-mini"
CRM_URL = "http://crm.internal.example/api/customers"


class Question(BaseModel):
    customer_id: int
    text: str


def current_user(token: str = ""):
    if not token:
        raise HTTPException(status_code=401)
    return token


def ask_model(question: str, history: str) -> str:
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "You answer questions about orders."},
            {"role": "user", "content": question + "\n" + history},
        ],
    )
    return reply.choices[0].message.content


@app.post("/ask")
def ask(q: Question, user=Depends(current_user)):
    with engine.connect() as con:
        history = con.execute(text("SELECT body FROM orders WHERE customer = :c"),
                              {"c": q.customer_id}).fetchall()
    answer = ask_model(q.text, str(history))
    queue.send_task("support.log_answer", args=[q.customer_id])
    return {"answer": answer}


@app.get("/customers/{customer_id}")
def customer(customer_id: int, fields: str = "name"):
    r = httpx.get(f"{CRM_URL}/{customer_id}", params={"fields": fields})
    return r.json()


@app.post("/admin/run")
def admin_run(q: Question):
    plan = client.chat.completions.create(
        model=MODEL,
        max_tokens=200,
        messages=[{"role": "user", "content": "Write one shell command for: " + q.text}],
    )
    cmd = plan.choices[0].message.content
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return {"output": out.stdout}
