"""What the portal's Atom feeds share: each lists published things (a ``title``, a page, a
``published_at``) newest first; an app's feed adds its title, its items and their summary."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

FEED_LENGTH = 30


class PublishedFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at


class MunicipalFeed(PublishedFeed):
    """Items a municipality publishes (calls, competitions): it is their author."""

    def item_author_name(self, item):
        return item.municipality.name
