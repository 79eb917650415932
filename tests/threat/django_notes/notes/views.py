import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from .models import Note

logger = logging.getLogger(__name__)


@login_required
def note_list(request):
    notes = Note.objects.filter(owner=request.user).values("id", "title")
    return JsonResponse({"notes": list(notes)})


@login_required
def note_detail(request, pk):
    note = get_object_or_404(Note, pk=pk, owner=request.user)
    return JsonResponse({"id": note.id, "title": note.title, "body": note.body})


@login_required
def export_notes(request):
    name = request.GET.get("file", "export.txt")
    with open("/tmp/exports/" + name, "w") as f:
        for note in Note.objects.filter(owner=request.user):
            f.write(note.body + "\n")
    return HttpResponse("ok")


def purge_notes(request):
    count = Note.objects.all().delete()
    logger.warning("purged %s notes", count)
    return JsonResponse({"purged": count[0]})


class NoteCreateView(LoginRequiredMixin, View):
    def post(self, request):
        note = Note.objects.create(owner=request.user, title=request.POST["title"],
                                   body=request.POST.get("body", ""))
        return JsonResponse({"id": note.id})


class AdminNoteView(View):
    def get(self, request):
        return JsonResponse({"count": Note.objects.count()})

    def delete(self, request):
        Note.objects.all().delete()
        return JsonResponse({"ok": True})
